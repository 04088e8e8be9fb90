//! Plain text in any common encoding. UTF-8 (with or without a BOM) and
//! UTF-16 with a BOM are read as such; a web page's declared charset wins;
//! otherwise the encoding is guessed from the bytes (`chardetng`, as
//! Firefox does). Bytes that fit no encoding are refused.

use super::{ExtractError, Extracted, Format};
use crate::model::Provenance;
use encoding_rs::Encoding;

/// Decodes `bytes` as text: with `forced` (an encoding label) when given,
/// else by BOM, then UTF-8, then (for HTML) the declared charset, then a
/// guess. Returns the text and the encoding's name.
pub fn decode(
    bytes: &[u8],
    format: Format,
    forced: Option<&str>,
) -> Result<(String, &'static str), ExtractError> {
    if let Some(label) = forced {
        let enc = Encoding::for_label(label.trim().as_bytes())
            .ok_or_else(|| ExtractError::UnknownEncoding(label.to_string()))?;
        return strict(enc, bytes);
    }
    if let Some((enc, bom)) = Encoding::for_bom(bytes) {
        return strict(enc, &bytes[bom..]);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => {
            if let Some(byte) = bytes.iter().position(|&b| b == 0) {
                return Err(ExtractError::Binary { byte, hint: "" });
            }
            return Ok((text.to_string(), "UTF-8"));
        }
        Err(e) if looks_like_damaged_utf8(bytes, &e) => {
            let byte = e.valid_up_to();
            return Err(ExtractError::DamagedUtf8 {
                byte,
                value: bytes.get(byte).copied().unwrap_or(0),
            });
        }
        Err(_) => {}
    }
    if let Some(byte) = bytes.iter().position(|&b| b == 0) {
        let utf16 = bytes.len() > 1 && (bytes[0] == 0 || bytes[1] == 0);
        return Err(ExtractError::Binary {
            byte,
            hint: if utf16 {
                " (it may be UTF-16 without a byte-order mark: try --encoding UTF-16LE)"
            } else {
                ""
            },
        });
    }
    if format == Format::Html
        && let Some(enc) = declared_charset(bytes)
    {
        return strict(enc, bytes);
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Allow);
    detector.feed(bytes, true);
    let guess = detector.guess(None, chardetng::Utf8Detection::Allow);
    strict(guess, bytes)
}

/// UTF-8 cut short at the end, or with good multi-byte UTF-8 before the
/// first bad byte (a legacy encoding seldom forms those by chance).
fn looks_like_damaged_utf8(bytes: &[u8], e: &std::str::Utf8Error) -> bool {
    let valid = &bytes[..e.valid_up_to()];
    let multibyte = std::str::from_utf8(valid)
        .map(|t| t.chars().filter(|c| c.len_utf8() > 1).count())
        .unwrap_or(0);
    e.error_len().is_none() || multibyte >= 2
}

/// Decodes with `enc`, refusing bytes it cannot map.
fn strict(enc: &'static Encoding, bytes: &[u8]) -> Result<(String, &'static str), ExtractError> {
    let mut decoder = enc.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(
        decoder
            .max_utf8_buffer_length_without_replacement(bytes.len())
            .unwrap_or(bytes.len() * 3),
    );
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut out, true);
    match result {
        encoding_rs::DecoderResult::InputEmpty => {
            if let Some(byte) = out.find('\0') {
                return Err(ExtractError::Binary { byte, hint: "" });
            }
            Ok((out, enc.name()))
        }
        encoding_rs::DecoderResult::Malformed(len, _) => {
            let byte = read.saturating_sub(len as usize);
            Err(ExtractError::NoEncoding {
                byte,
                value: bytes.get(byte).copied().unwrap_or(0),
            })
        }
        encoding_rs::DecoderResult::OutputFull => Err(ExtractError::Corrupt {
            format: "text",
            detail: "decoding ran out of room".into(),
        }),
    }
}

/// `<meta charset="…">` or `<meta http-equiv="Content-Type"
/// content="…; charset=…">` in the first 4 KB.
fn declared_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_lowercase();
    let at = head.find("charset=")? + "charset=".len();
    let value: String = head[at..]
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
        .collect();
    let enc = Encoding::for_label(value.as_bytes())?;
    // A page saved as UTF-16 cannot declare it in ASCII; such a claim is
    // wrong (the HTML standard reads it as UTF-8).
    (enc != encoding_rs::UTF_16LE && enc != encoding_rs::UTF_16BE).then_some(enc)
}

/// A plain-text article: the text as it is; no title (the importer takes
/// the first line, as before).
pub fn extract(text: &str) -> Extracted {
    Extracted {
        title: None,
        text: text.to_string(),
        source: Provenance::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_encodings_are_detected() {
        // "Café “crème”" in windows-1252.
        let w1252 = b"Caf\xe9 \x93cr\xe8me\x94 at the border, the traders said on Sunday.";
        let (t, e) = decode(w1252, Format::Text, None).unwrap();
        assert_eq!(e, "windows-1252");
        assert!(t.starts_with("Café “crème”"), "{t}");
        // Korean in EUC-KR: "북한 국경 무역" repeated so the guess is sure.
        let source = "북한 국경 무역이 다시 열렸다. ".repeat(8);
        let (bytes, _, _) = encoding_rs::EUC_KR.encode(&source);
        let (t, e) = decode(&bytes, Format::Text, None).unwrap();
        assert_eq!(e, "EUC-KR");
        assert!(t.starts_with("북한 국경"));
        // Japanese in Shift_JIS.
        let source = "北朝鮮の国境貿易が再開した。".repeat(8);
        let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(&source);
        let (t, e) = decode(&bytes, Format::Text, None).unwrap();
        assert_eq!(e, "Shift_JIS");
        assert!(t.starts_with("北朝鮮"));
        // Chinese in GB18030.
        let source = "朝鲜边境贸易重新开放了。".repeat(8);
        let (bytes, _, _) = encoding_rs::GB18030.encode(&source);
        let (t, e) = decode(&bytes, Format::Text, None).unwrap();
        assert_eq!(e, "GBK");
        assert!(t.starts_with("朝鲜边境"));
    }

    #[test]
    fn a_declared_charset_wins_and_a_forced_one_wins_over_all() {
        let page = b"<html><head><meta charset=\"iso-8859-2\"></head><body>\xb1</body></html>";
        let (t, e) = decode(page, Format::Html, None).unwrap();
        assert_eq!(e, "ISO-8859-2");
        assert!(t.contains('ą'));
        let (t, e) = decode(b"\xb1", Format::Text, Some("latin1")).unwrap();
        assert_eq!((t.as_str(), e), ("±", "windows-1252"));
        assert!(matches!(
            decode(b"x", Format::Text, Some("klingon")),
            Err(ExtractError::UnknownEncoding(_))
        ));
    }

    #[test]
    fn bytes_that_fit_no_encoding_are_refused() {
        // Invalid UTF-8 forced as UTF-8.
        assert!(matches!(
            decode(b"ok \xff\xfe\xfd", Format::Text, Some("utf-8")),
            Err(ExtractError::NoEncoding {
                byte: 3,
                value: 0xff
            })
        ));
        assert!(matches!(
            decode(b"a\x00b", Format::Text, None),
            Err(ExtractError::Binary { byte: 1, .. })
        ));
    }
}
