//! Prints jieba's view of words (a debugging aid).
fn main() {
    let j = jieba_rs::Jieba::new();
    for w in std::env::args().skip(1) {
        let tags: Vec<_> = j
            .tag(&w, false)
            .into_iter()
            .map(|t| format!("{}/{}", t.word, t.tag))
            .collect();
        println!("{w}: has_word={} tags={tags:?}", j.has_word(&w));
    }
}
