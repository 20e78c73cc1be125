//! Prints what the scanner finds in each text given on the command line, and what it keeps
//! visible on purpose, each with its reason (a debugging aid):
//! `cargo run -p gongkai-deid --example scan -- "当事人张伟，手机13812345678。"`
fn main() {
    let scanner = gongkai_deid::Scanner::default();
    for text in std::env::args().skip(1) {
        let scan = scanner.explain(&text);
        for f in scan.findings {
            println!(
                "找到\t{}\t{}\t{:.2}\t{}",
                f.kind.label(),
                f.text,
                f.confidence,
                f.reason
            );
        }
        for k in scan.kept {
            println!("保留\t{}\t{}\t{}", k.kind.label(), k.text, k.reason);
        }
    }
}
