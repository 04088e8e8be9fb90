//! The wall clock, below every layer that stamps records (formats, ui, cli).
//! `MARGINALIA_NOW` pins it, so that scripted projects (the samples, golden
//! tests) are reproducible byte for byte.

/// Current time as RFC 3339 UTC, or `MARGINALIA_NOW` when it is set and not
/// blank. Never fails.
pub fn now_rfc3339() -> String {
    if let Ok(fixed) = std::env::var("MARGINALIA_NOW")
        && !fixed.trim().is_empty()
    {
        return fixed;
    }
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
