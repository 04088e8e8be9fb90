//! Article extraction measured on public data: the ScrapingHub
//! article-extraction benchmark (`../shared/peers/aeb/`, 181 real news
//! pages with the text a person marked as the article), scored by its own
//! metric (`formats::extract::benchmark`).

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod peers;

#[test]
fn the_extraction_benchmark_scores_as_the_best_extractors() {
    let Some(dir) = peers::peer("aeb") else {
        return;
    };
    let r = marginalia::formats::extract::benchmark::run(&dir).unwrap();
    println!(
        "AEB: {} pages, precision {:.3}, recall {:.3}, F1 {:.4}; titles {}; URL equal to the \
         benchmark's on {} of the {} pages naming one; {:.2} s (debug build)",
        r.pages, r.precision, r.recall, r.f1, r.titled, r.urls_equal, r.urls_named, r.seconds
    );
    assert_eq!(r.pages, 181);
    assert!(r.f1 >= 0.96, "F1 {:.4}", r.f1);
    assert_eq!(r.titled, 181, "every page has a title");
    // The rest name a canonical address other than the one fetched
    // (syndicated copies, a country edition).
    assert!(r.urls_equal >= 165, "{} of {}", r.urls_equal, r.urls_named);
}
