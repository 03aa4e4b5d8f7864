//! Turning the bytes of a text export into UTF-8, with the reason for the
//! encoding chosen.
//!
//! Decoding happens before any parser sees the text, because the parsers
//! (the `csv` crate, polars' CSV reader, the chat parsers) only accept UTF-8,
//! while real recruiting exports arrive as GBK from old Chinese HR systems,
//! UTF-16 from Excel's "Unicode text" export, Big5 from Taiwan offices or
//! Shift_JIS. The order of the checks matters and follows what each check can
//! actually tell:
//!
//! 1. An explicit `encoding = "…"` in the pipeline wins: the user knows.
//! 2. A byte-order mark is unambiguous.
//! 3. UTF-16 without a BOM shows as NUL bytes in every other position (ASCII
//!    delimiters, digits and newlines encode as `xx 00`); chardetng cannot see
//!    it, by its own documentation.
//! 4. Bytes that are valid UTF-8 are UTF-8: legacy multi-byte text is almost
//!    never accidentally valid UTF-8.
//! 5. Otherwise chardetng guesses among the legacy encodings.
//!
//! GBK is always decoded with the GB18030 decoder: it is a superset, and real
//! "GBK" files contain GB18030 four-byte sequences for rare name characters.

use std::borrow::Cow;
use std::fmt;

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{
    BIG5, EUC_JP, EUC_KR, Encoding, GB18030, GBK, SHIFT_JIS, UTF_8, UTF_16BE, UTF_16LE,
};

/// A validated encoding label from a pipeline (`gbk`, `utf-16le`, `big5`…).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct EncodingLabel(&'static Encoding);

impl EncodingLabel {
    /// Accepts any WHATWG label except `replacement`; `None` for unknown labels.
    pub fn new(label: &str) -> Option<EncodingLabel> {
        Encoding::for_label_no_replacement(label.trim().as_bytes()).map(EncodingLabel)
    }

    pub fn encoding(self) -> &'static Encoding {
        self.0
    }
}

impl fmt::Debug for EncodingLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EncodingLabel({})", self.0.name())
    }
}

/// How the encoding was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evidence {
    Pipeline,
    Bom,
    NulPattern,
    ValidUtf8,
    MostlyUtf8,
    Detector,
    DetectorRepaired,
}

impl Evidence {
    pub fn describe(self) -> &'static str {
        match self {
            Evidence::Pipeline => "set in the pipeline",
            Evidence::Bom => "byte-order mark",
            Evidence::NulPattern => "NUL bytes in alternate positions (UTF-16 without BOM)",
            Evidence::ValidUtf8 => "bytes are valid UTF-8",
            Evidence::MostlyUtf8 => {
                "bytes are UTF-8 except for a few broken sequences (shown as U+FFFD)"
            }
            Evidence::Detector => "guessed by chardetng from byte statistics",
            Evidence::DetectorRepaired => {
                "guessed by chardetng from byte statistics once the broken characters were left out"
            }
        }
    }
}

/// Decoded text and how it was obtained.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub text: String,
    /// Encoding name as encoding_rs spells it (`GB18030`, `UTF-16LE`…).
    pub encoding: &'static str,
    pub evidence: Evidence,
    /// Some bytes were not valid in the encoding and became U+FFFD.
    pub had_errors: bool,
}

impl Decoded {
    /// A note for the manifest when some bytes were invalid in the
    /// encoding: how many characters were lost. (Normalization quarantines
    /// table cells holding one; chat messages keep them.)
    pub fn problem(&self) -> Option<String> {
        self.had_errors.then(|| {
            let lost = self.text.chars().filter(|&c| c == '\u{FFFD}').count();
            format!(
                "{lost} character(s) were not valid {} and show as U+FFFD",
                self.encoding
            )
        })
    }
}

/// Decodes `bytes`, honouring `forced` when the pipeline sets an encoding.
pub fn decode(bytes: &[u8], forced: Option<EncodingLabel>) -> Decoded {
    if let Some(label) = forced {
        let enc = widen(label.0);
        // A BOM that agrees with the forced encoding is still removed.
        let (text, had_errors) = match Encoding::for_bom(bytes) {
            Some((bom_enc, len)) if bom_enc == enc => {
                enc.decode_without_bom_handling(&bytes[len..])
            }
            _ => enc.decode_without_bom_handling(bytes),
        };
        return finish(text, enc, Evidence::Pipeline, had_errors);
    }
    if let Some((enc, len)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[len..]);
        return finish(text, enc, Evidence::Bom, had_errors);
    }
    if let Some(enc) = utf16_by_nul_pattern(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(bytes);
        return finish(text, enc, Evidence::NulPattern, had_errors);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return finish(Cow::Borrowed(text), UTF_8, Evidence::ValidUtf8, false);
    }
    if mostly_utf8(bytes) {
        let (text, had_errors) = UTF_8.decode_without_bom_handling(bytes);
        return finish(text, UTF_8, Evidence::MostlyUtf8, had_errors);
    }
    let guess = widen(detect(bytes));
    if !MULTI_BYTE.iter().any(|&m| widen(m) == guess)
        && let Some((enc, text)) = multi_byte_with_broken_characters(bytes)
    {
        return finish(Cow::Owned(text), enc, Evidence::DetectorRepaired, true);
    }
    let (text, had_errors) = guess.decode_without_bom_handling(bytes);
    finish(text, guess, Evidence::Detector, had_errors)
}

fn detect(bytes: &[u8]) -> &'static Encoding {
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    detector.guess(None, Utf8Detection::Allow)
}

/// The legacy multi-byte encodings chardetng can tell apart.
const MULTI_BYTE: [&Encoding; 5] = [GBK, BIG5, SHIFT_JIS, EUC_KR, EUC_JP];

/// chardetng rules an encoding out at its first invalid sequence, so a GBK
/// export with one character cut in half is guessed as windows-1252 and
/// every Chinese character of it becomes mojibake. When the guess is a
/// single-byte encoding, each multi-byte encoding that reads the file with
/// only a few broken characters (valid ones outnumber them four to one) is
/// tried: without its broken characters, would chardetng pick it? If so,
/// the file is that encoding, read with U+FFFD for the broken characters.
/// Latin text that happens to decode with few errors is not taken for CJK:
/// chardetng still prefers the single-byte encoding for it.
fn multi_byte_with_broken_characters(bytes: &[u8]) -> Option<(&'static Encoding, String)> {
    for candidate in MULTI_BYTE {
        let enc = widen(candidate);
        let (text, had_errors) = enc.decode_without_bom_handling(bytes);
        if !had_errors {
            continue;
        }
        let broken = text.chars().filter(|&c| c == '\u{FFFD}').count();
        let valid = text.chars().filter(|&c| !c.is_ascii()).count() - broken;
        if valid < 4 * broken {
            continue;
        }
        let kept = text.replace('\u{FFFD}', "");
        let (repaired, _, _) = enc.encode(&kept);
        if widen(detect(&repaired)) == enc {
            return Some((enc, text.into_owned()));
        }
    }
    None
}

/// [`decode`] for bytes the caller no longer needs: valid UTF-8 (the
/// common case) becomes the text without a copy, so a large file is held
/// once rather than twice.
pub fn decode_owned(bytes: Vec<u8>, forced: Option<EncodingLabel>) -> Decoded {
    let bytes = if forced.is_none()
        && Encoding::for_bom(&bytes).is_none()
        && utf16_by_nul_pattern(&bytes).is_none()
    {
        match String::from_utf8(bytes) {
            Ok(text) => {
                return Decoded {
                    text,
                    encoding: UTF_8.name(),
                    evidence: Evidence::ValidUtf8,
                    had_errors: false,
                };
            }
            Err(e) => e.into_bytes(),
        }
    } else {
        bytes
    };
    decode(&bytes, forced)
}

fn finish(
    text: Cow<'_, str>,
    enc: &'static Encoding,
    evidence: Evidence,
    had_errors: bool,
) -> Decoded {
    Decoded {
        text: text.into_owned(),
        encoding: enc.name(),
        evidence,
        had_errors,
    }
}

/// UTF-8 with a few broken sequences: a character cut in half by a
/// truncated copy, a stray byte from a bad edit. chardetng rules UTF-8 out
/// at the first invalid sequence and would pick a legacy encoding, turning
/// every Chinese character of the file into mojibake; decoding as UTF-8
/// instead loses only the broken characters (as U+FFFD, which
/// normalization quarantines). Legacy text is not mistaken for this: in
/// GBK, Big5, Shift_JIS or EUC-KR text broken sequences outnumber the
/// accidentally valid ones three to one or more (measured on the sample
/// data), while here valid characters must outnumber broken ones four to one.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut valid, mut broken) = (0usize, 0usize);
    let mut rest = bytes;
    loop {
        let (good, bad) = match std::str::from_utf8(rest) {
            Ok(s) => (s, None),
            Err(e) => {
                let good = std::str::from_utf8(&rest[..e.valid_up_to()]).expect("checked prefix");
                (
                    good,
                    Some(e.error_len().unwrap_or(rest.len() - e.valid_up_to())),
                )
            }
        };
        valid += good.chars().filter(|c| !c.is_ascii()).count();
        match bad {
            None => break,
            Some(len) => {
                broken += 1;
                rest = &rest[good.len() + len..];
            }
        }
    }
    valid >= 4 * broken
}

/// GBK files in the wild carry GB18030-only characters; decode them all.
fn widen(enc: &'static Encoding) -> &'static Encoding {
    if enc == GBK { GB18030 } else { enc }
}

/// Looks at up to 4 KiB for the NUL pattern of UTF-16 text without a BOM.
fn utf16_by_nul_pattern(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    if sample.len() < 4 {
        return None;
    }
    let pairs = sample.len() / 2;
    let even = sample.iter().step_by(2).filter(|b| **b == 0).count();
    let odd = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|b| **b == 0)
        .count();
    // A tenth of the code units being ASCII is plenty for a CSV (delimiters,
    // digits, newlines); the other position must have far fewer NULs (CJK
    // code units and surrogates like U+D840 U+DC00 contribute a few).
    let enough = |n: usize| n * 10 >= pairs;
    if enough(odd) && odd >= even * 5 {
        Some(UTF_16LE)
    } else if enough(even) && even >= odd * 5 {
        Some(UTF_16BE)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "姓名,手机号,备注\n张三,13800138000,岗位已满\n陳曉明,13900139000,𠀀䶵\n";

    fn utf16(text: &str, le: bool) -> Vec<u8> {
        text.encode_utf16()
            .flat_map(|u| if le { u.to_le_bytes() } else { u.to_be_bytes() })
            .collect()
    }

    #[test]
    fn gbk_bytes_are_detected_and_decoded() {
        let simple = "姓名,手机号,应聘岗位,备注\n张三,13800138000,销售经理,岗位已满先放人才库\n李四,13900139000,后端工程师,技术能力不足\n";
        let (bytes, _, unmappable) = GBK.encode(simple);
        assert!(!unmappable);
        let d = decode(&bytes, None);
        assert_eq!(d.text, simple);
        assert_eq!(d.encoding, "gb18030");
        assert_eq!(d.evidence, Evidence::Detector);
    }

    #[test]
    fn gb18030_four_byte_characters_survive() {
        let (bytes, _, _) = GB18030.encode(TEXT);
        let d = decode(&bytes, EncodingLabel::new("gbk"));
        assert_eq!(d.text, TEXT);
        assert!(!d.had_errors);
        assert_eq!(d.evidence, Evidence::Pipeline);
    }

    #[test]
    fn big5_is_detected() {
        let text = "姓名,電話,備註\n陳曉明,0912345678,溝通能力強，經驗豐富\n林志玲,0922333444,薪資期望過高\n";
        let (bytes, _, unmappable) = encoding_rs::BIG5.encode(text);
        assert!(!unmappable);
        let d = decode(&bytes, None);
        assert_eq!(d.encoding, "Big5");
        assert_eq!(d.text, text);
    }

    #[test]
    fn shift_jis_is_detected() {
        let text = "氏名,電話,備考\n山田太郎,090-1234-5678,コミュニケーション能力が高い\n";
        let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(text);
        let d = decode(&bytes, None);
        assert_eq!(d.encoding, "Shift_JIS");
        assert_eq!(d.text, text);
    }

    #[test]
    fn utf16_with_and_without_bom() {
        for le in [true, false] {
            let plain = utf16(TEXT, le);
            let d = decode(&plain, None);
            assert_eq!(d.text, TEXT, "no BOM, le={le}");
            assert_eq!(d.evidence, Evidence::NulPattern);
            let mut with_bom = if le {
                vec![0xFF, 0xFE]
            } else {
                vec![0xFE, 0xFF]
            };
            with_bom.extend(&plain);
            let d = decode(&with_bom, None);
            assert_eq!(d.text, TEXT, "BOM, le={le}");
            assert_eq!(d.evidence, Evidence::Bom);
            assert_eq!(d.encoding, if le { "UTF-16LE" } else { "UTF-16BE" });
        }
    }

    #[test]
    fn utf8_with_bom_loses_the_bom() {
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend(TEXT.as_bytes());
        let d = decode(&bytes, None);
        assert_eq!(d.text, TEXT);
        assert_eq!(d.evidence, Evidence::Bom);
        let d = decode(TEXT.as_bytes(), None);
        assert_eq!(d.evidence, Evidence::ValidUtf8);
    }

    #[test]
    fn owned_bytes_decode_like_borrowed_ones() {
        let gbk = GBK.encode(TEXT).0.into_owned();
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend(TEXT.as_bytes());
        for (bytes, forced) in [
            (TEXT.as_bytes().to_vec(), None),
            (bom, None),
            (utf16(TEXT, true), None),
            (gbk.clone(), None),
            (gbk, EncodingLabel::new("gbk")),
            (TEXT.as_bytes().to_vec(), EncodingLabel::new("gbk")),
        ] {
            let a = decode(&bytes, forced);
            let b = decode_owned(bytes, forced);
            assert_eq!(
                (a.text, a.encoding, a.evidence, a.had_errors),
                (b.text, b.encoding, b.evidence, b.had_errors)
            );
        }
    }

    #[test]
    fn windows_1252_is_detected_for_latin_text() {
        let text = "Name;City;Notes\nJosé Müller;Zürich;très motivé, déjà vu\nFrançois;Besançon;naïve façade\n";
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
        let d = decode(&bytes, None);
        assert_eq!(d.encoding, "windows-1252");
        assert_eq!(d.text, text);
    }

    #[test]
    fn broken_multibyte_sequence_is_flagged_not_fatal() {
        let mut bytes = GBK.encode("姓名,备注\n张三,岗位已满\n").0.into_owned();
        bytes.push(0x81); // a GBK lead byte with no trail byte
        let d = decode(&bytes, EncodingLabel::new("gbk"));
        assert!(d.had_errors);
        assert!(d.text.ends_with('\u{FFFD}'));
    }

    #[test]
    fn utf8_cut_mid_character_stays_utf8() {
        let text = "姓名,备注\n张三,岗位已满\n李四,技术能力不足\n";
        // A character loses its last byte mid-line, another at the end.
        let mut bytes = "姓名,备注\n张三,岗位已".as_bytes().to_vec();
        bytes.extend(&"满".as_bytes()[..2]);
        bytes.extend("\n李四,技术能力不足\n".as_bytes());
        bytes.extend(&"王".as_bytes()[..1]);
        let d = decode(&bytes, None);
        assert_eq!(d.encoding, "UTF-8");
        assert_eq!(d.evidence, Evidence::MostlyUtf8);
        assert!(d.had_errors);
        assert_eq!(
            d.text,
            "姓名,备注\n张三,岗位已\u{FFFD}\n李四,技术能力不足\n\u{FFFD}"
        );
        assert_eq!(decode_owned(bytes, None).text, d.text);
        assert_eq!(
            d.problem().as_deref(),
            Some("2 character(s) were not valid UTF-8 and show as U+FFFD")
        );
        // GBK is still GBK, even with a cut character at its end.
        let mut gbk = GBK.encode(text).0.into_owned();
        gbk.push(0xD5);
        let d = decode(&gbk, None);
        assert_eq!(d.encoding, "gb18030");
        assert!(d.text.starts_with(text));
    }

    /// A legacy export with a character cut in half stays in its encoding
    /// instead of becoming windows-1252 mojibake; Latin text stays Latin.
    #[test]
    fn legacy_text_with_a_broken_character_keeps_its_encoding() {
        let zh =
            "姓名,手机号,备注\n李四,13900139000,岗位已满先放人才库\n王五,13700137000,技术能力不足";
        let tw = "姓名,電話,備註\n陳曉明,0912345678,溝通能力強，經驗豐富\n林志玲,0922333444,薪資期望過高";
        let tail = "\n趙六,13600136000,表達流暢\n";
        for (text, enc, name) in [(zh, GBK, "gb18030"), (tw, BIG5, "Big5")] {
            let mut bytes = enc.encode(text).0.into_owned();
            bytes.push(enc.encode("滿").0[0]); // a lead byte without its trail
            bytes.extend_from_slice(&enc.encode(tail).0);
            let d = decode(&bytes, None);
            assert_eq!(d.encoding, name);
            assert_eq!(d.evidence, Evidence::DetectorRepaired);
            assert!(d.had_errors);
            assert!(d.text.starts_with(text), "{}", d.text);
            assert!(d.text.ends_with(&format!("\u{FFFD}{tail}")), "{}", d.text);
        }
        let latin = "Name;City;Notes\nJosé Müller;Zürich;très motivé, déjà vu\nFrançois;Besançon;naïve façade\n";
        let d = decode(&encoding_rs::WINDOWS_1252.encode(latin).0, None);
        assert_eq!((d.encoding, d.text.as_str()), ("windows-1252", latin));
    }

    #[test]
    fn unknown_labels_are_refused() {
        assert!(EncodingLabel::new("gbk2").is_none());
        assert!(EncodingLabel::new("replacement").is_none());
        assert_eq!(EncodingLabel::new(" GB2312 ").unwrap().encoding(), GBK);
    }
}
