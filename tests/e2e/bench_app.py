"""App-level benchmark: cold start to an interactive window, and resident memory of the app
(its own process plus WebKit's web and network processes) with 1,000 documents in the list.

Usage: python3 tests/e2e/bench_app.py [RUNS]  (run by scripts/bench.sh with a release build)
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from webdriver import ROOT, Harness

CLI = Path(os.environ.get("GONGKAI_CLI", ROOT / "target" / "release" / "gongkai"))


def pss_mb(pid):
    """Proportional set size (shared pages split between the processes using them), in MB."""
    try:
        for line in open(f"/proc/{pid}/smaps_rollup"):
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def tree_rss_mb(pid):
    """RSS of a process and all its descendants, in MB."""
    out = subprocess.run(["ps", "-e", "-o", "pid=,ppid=,rss=,comm="], capture_output=True, text=True).stdout
    rows = [line.split(None, 3) for line in out.strip().splitlines()]
    children = {}
    rss = {}
    names = {}
    for p, pp, r, name in rows:
        children.setdefault(int(pp), []).append(int(p))
        rss[int(p)] = int(r)
        names[int(p)] = name
    total, pss, stack, seen = 0, 0.0, [pid], []
    while stack:
        p = stack.pop()
        total += rss.get(p, 0)
        pss += pss_mb(p)
        seen.append(f"{names.get(p, '?')} RSS {rss.get(p, 0) / 1024:.0f} MB / PSS {pss_mb(p):.0f} MB")
        stack.extend(children.get(p, []))
    return total / 1024, pss, seen


def app_pid(harness):
    """The app's process (the newest one running the binary under test)."""
    out = subprocess.run(["pgrep", "-n", "-f", str(Path(os.environ.get("GONGKAI_APP", "gongkai-desktop")).name)],
                         capture_output=True, text=True).stdout
    if not out.split():
        raise RuntimeError("the app's process was not found (pgrep)")
    return int(out.split()[0])


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    h = Harness(shipped_webkit=True)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            data = Path(tmp) / "data"
            env = dict(os.environ, GONGKAI_DATA_DIR=str(data))
            subprocess.run([str(CLI), "setup", "--unit", "zazd", "--name", "基准测试"], env=env, check=True,
                           stdout=subprocess.DEVNULL)
            t = time.time()
            for i in range(1000):
                subprocess.run([str(CLI), "doc", "new", "--title", f"关于做好户籍窗口服务工作的通知（第{i}号）",
                                "--doc-number", f"某公治〔2026〕{i + 1}号",
                                "--body", "一、总体要求\n为进一步优化营商环境，方便群众办事，现通知如下。\n（一）实行一窗通办"],
                               env=env, check=True, stdout=subprocess.DEVNULL)
            print(f"seeded 1000 documents through the CLI in {time.time() - t:.1f} s")
            starts = []
            for r in range(runs):
                t = time.time()
                s = h.launch(data)
                try:
                    s.wait("[data-testid=doc-row]", timeout=60)
                    s.wait("[data-testid=new-doc]")
                    starts.append(time.time() - t)
                    print(f"run {r + 1}: {starts[-1]:.2f} s", flush=True)
                    if r == runs - 1:
                        time.sleep(2)
                        mb, pss, procs = tree_rss_mb(app_pid(h))
                        rows = len(s.find_all("[data-testid=doc-row]"))
                        print(f"resident memory with 1000 documents ({rows} rows rendered): RSS {mb:.0f} MB, "
                              f"PSS {pss:.0f} MB across {len(procs)} processes ({', '.join(procs)})")
                finally:
                    s.quit()
                time.sleep(1)
            print("cold start to interactive list (WebDriver session start -> first row shown), "
                  f"{runs} runs: median {statistics.median(starts):.2f} s, min {min(starts):.2f} s, max {max(starts):.2f} s")
    finally:
        h.close()


if __name__ == "__main__":
    main()
