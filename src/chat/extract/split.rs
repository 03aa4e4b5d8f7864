//! Cutting a message into the units facts are read from: the quoted part of a
//! reply (kept apart, because its facts were already read from the message it
//! quotes), sentences (the `text` of an event, as written) and clauses
//! (comma-separated parts, in matching form). Clauses matter because one
//! sentence often judges two people: `张三通过，李四不合适`.

use crate::chat::MessageKind;

/// A message body split into its own words and the words it quotes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Body {
    /// The sender's own text.
    pub(super) own: String,
    /// The quoted message, when the body quotes one.
    pub(super) quote: Option<String>,
}

/// Separates a quoted message from the reply: WeChatMsg writes the quote on
/// a line starting `引用:`; copied WeChat replies put `「…」` and a dashed rule
/// before the answer; QQ starts the body with `[回复…]`.
pub(super) fn body(text: &str, kind: MessageKind) -> Body {
    let lines: Vec<&str> = text.lines().collect();
    let rule = lines.iter().position(|l| {
        let t = l.trim();
        t.len() >= 5 && t.chars().all(|c| c == '-' || c == ' ')
    });
    if let Some(rule) = rule
        && text.trim_start().starts_with('「')
    {
        let quote = lines[..rule].join("\n");
        let quote = quote.trim().trim_start_matches('「').trim_end_matches('」');
        return Body {
            own: lines[rule + 1..].join("\n"),
            quote: Some(quote.to_string()),
        };
    }
    let mut own = Vec::new();
    let mut quote = Vec::new();
    for line in &lines {
        let t = line.trim_start();
        if let Some(q) = t.strip_prefix("引用:").or_else(|| t.strip_prefix("引用：")) {
            quote.push(q.to_string());
        } else {
            own.push(*line);
        }
    }
    if kind == MessageKind::Reply
        && quote.is_empty()
        && let Some(first) = own.first()
        && let Some(rest) = first.trim_start().strip_prefix("[回复")
        && let Some(end) = rest.find(']')
    {
        let tail = rest[end + 1..].to_string();
        if own.len() > 1 {
            quote.push(tail);
            own.remove(0);
        } else {
            return Body {
                own: tail,
                quote: None,
            };
        }
    }
    Body {
        own: own.join("\n"),
        quote: (!quote.is_empty()).then(|| quote.join("\n")),
    }
}

/// Words after which a full stop does not end an English sentence.
const TITLES: &[&str] = &["mr", "ms", "mrs", "dr", "st", "no"];

/// Splits text into trimmed, non-empty sentences at `。！？!?；;`, line breaks,
/// `…` and at a full stop that follows a word and precedes a space.
pub(super) fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let ends = match c {
            '。' | '！' | '？' | '!' | '?' | '；' | ';' | '\n' | '…' => true,
            '.' => {
                let next_space = chars.get(i + 1).is_none_or(|n| n.is_whitespace());
                let word: String = current
                    .chars()
                    .rev()
                    .take_while(|c| c.is_ascii_alphabetic())
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect();
                next_space && !word.is_empty() && !TITLES.contains(&word.to_lowercase().as_str())
            }
            _ => false,
        };
        if ends {
            if !matches!(c, '\n' | '…') {
                current.push(c);
            }
            push_sentence(&mut out, &mut current);
        } else {
            current.push(c);
        }
    }
    push_sentence(&mut out, &mut current);
    out
}

fn push_sentence(out: &mut Vec<String>, current: &mut String) {
    let t = current.trim();
    if !t.is_empty() {
        out.push(t.to_string());
    }
    current.clear();
}

/// Splits a matching-form sentence into clauses at `,` and `;` (full-width
/// ones are already ASCII in matching form), except a comma between digits
/// (`20,000`). Returns byte ranges into `form`, trimmed, non-empty.
pub(super) fn clauses(form: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = form.as_bytes();
    for (i, c) in form.char_indices() {
        let cut = match c {
            ';' => true,
            ',' => {
                let digit_before = i > 0 && bytes[i - 1].is_ascii_digit();
                let digit_after = bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
                !(digit_before && digit_after)
            }
            _ => false,
        };
        if cut {
            push_range(form, &mut out, start, i);
            start = i + 1;
        }
    }
    push_range(form, &mut out, start, form.len());
    out
}

fn push_range(form: &str, out: &mut Vec<(usize, usize)>, start: usize, end: usize) {
    let piece = &form[start..end];
    let lead = piece.len() - piece.trim_start().len();
    let trail = piece.len() - piece.trim_end().len();
    if start + lead < end - trail {
        out.push((start + lead, end - trail));
    }
}

/// True when the sentence's own text ends in a question mark.
pub(super) fn ends_with_question(sentence: &str) -> bool {
    sentence.trim_end().ends_with(['?', '？'])
}

/// Copies `text`, replacing each byte range in `spans` (sorted, disjoint)
/// with one `#`, so that names and numbers already read cannot be read again
/// as phrases, salaries or times.
pub(super) fn masked(text: &str, spans: &[(usize, usize)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for &(s, e) in spans {
        if s < pos || e > text.len() {
            continue;
        }
        out.push_str(&text[pos..s]);
        out.push('#');
        pos = e;
    }
    out.push_str(&text[pos..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentence_table() {
        let cases: &[(&str, &[&str])] = &[
            (
                "张三逻辑清晰，沟通能力强，但岗位已满，先放人才库",
                &["张三逻辑清晰，沟通能力强，但岗位已满，先放人才库"],
            ),
            ("好的。明天见！", &["好的。", "明天见！"]),
            ("第一行\n第二行", &["第一行", "第二行"]),
            (
                "Mr. Zhang did well. Send an offer.",
                &["Mr. Zhang did well.", "Send an offer."],
            ),
            ("期望1.5万。", &["期望1.5万。"]),
            ("邮箱 a.b@qq.com 已发", &["邮箱 a.b@qq.com 已发"]),
            ("", &[]),
        ];
        for (text, expected) in cases {
            assert_eq!(sentences(text), *expected, "{text:?}");
        }
    }

    #[test]
    fn clause_ranges() {
        let form = "张三通过, 李四不合适;王五 20,000";
        let got: Vec<&str> = clauses(form).iter().map(|&(s, e)| &form[s..e]).collect();
        assert_eq!(got, vec!["张三通过", "李四不合适", "王五 20,000"]);
    }

    #[test]
    fn quotes_are_kept_apart() {
        let wechat = body(
            "收到，我来面\n引用:HR-小林:李四期望15k，下周三下午两点复试",
            MessageKind::Reply,
        );
        assert_eq!(wechat.own, "收到，我来面");
        assert_eq!(
            wechat.quote.as_deref(),
            Some("HR-小林:李四期望15k，下周三下午两点复试")
        );
        let copied = body(
            "「HR-小林：李四期望15k」\n- - - - - - - - - - - - - - -\n好，我来面",
            MessageKind::Reply,
        );
        assert_eq!(copied.own, "好，我来面");
        assert_eq!(copied.quote.as_deref(), Some("HR-小林：李四期望15k"));
        let qq = body("[回复]王总: 张三面完了\n不合适", MessageKind::Reply);
        assert_eq!(qq.own, "不合适");
        assert_eq!(qq.quote.as_deref(), Some("王总: 张三面完了"));
        let plain = body("张三通过", MessageKind::Text);
        assert_eq!(plain.own, "张三通过");
        assert_eq!(plain.quote, None);
    }

    #[test]
    fn masking_replaces_spans() {
        assert_eq!(masked("张三期望15k", &[(0, 6)]), "#期望15k");
        assert_eq!(masked("abcdef", &[(1, 2), (4, 6)]), "a#cd#");
    }
}
