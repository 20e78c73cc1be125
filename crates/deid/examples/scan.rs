//! Prints the findings of a text given on the command line (a debugging aid).
fn main() {
    let text = std::env::args().nth(1).unwrap_or_default();
    for f in gongkai_deid::Scanner::default().scan(&text) {
        println!(
            "{:<14} {:>3}-{:<3} {:.2} {}  ({})",
            f.kind.as_str(),
            f.start,
            f.end,
            f.confidence,
            f.text,
            f.reason
        );
    }
}
