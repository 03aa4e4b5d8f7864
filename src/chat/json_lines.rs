//! Start lines of JSON array elements, found by a small structural scan, so
//! JSON messages can report the line their object starts on (serde_json's
//! `Value` keeps no positions).

/// One step of a path into a JSON document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Seg {
    Key(String),
    Index(usize),
}

enum Frame {
    Object {
        key: Option<String>,
        want_key: bool,
    },
    Array {
        index: usize,
        want_value: bool,
        record: Option<usize>,
    },
}

/// For every array stored under a key named `key`, its path and the
/// 1-based start line of each element, in document order.
pub(super) fn arrays_named(text: &str, key: &str) -> Vec<(Vec<Seg>, Vec<usize>)> {
    let bytes = text.as_bytes();
    let mut found: Vec<(Vec<Seg>, Vec<usize>)> = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut line = 1usize;
    let mut i = 0usize;
    while i < bytes.len() {
        let b = bytes[i];
        let starts_value = matches!(
            b,
            b'{' | b'[' | b'"' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n'
        );
        if starts_value
            && let Some(Frame::Array {
                want_value, record, ..
            }) = stack.last_mut()
        {
            if *want_value && let Some(r) = record {
                found[*r].1.push(line);
            }
            *want_value = false;
        }
        match b {
            b'\n' => line += 1,
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    match bytes[i] {
                        b'\\' => i += 1,
                        b'\n' => line += 1,
                        _ => {}
                    }
                    i += 1;
                }
                let end = i.min(bytes.len());
                if let Some(Frame::Object {
                    key,
                    want_key: want @ true,
                }) = stack.last_mut()
                {
                    *key = Some(String::from_utf8_lossy(&bytes[start..end]).into_owned());
                    *want = false;
                }
            }
            b'{' => stack.push(Frame::Object {
                key: None,
                want_key: true,
            }),
            b'[' => {
                let record = match stack.last() {
                    Some(Frame::Object { key: Some(k), .. }) if k == key => {
                        found.push((path_of(&stack), Vec::new()));
                        Some(found.len() - 1)
                    }
                    _ => None,
                };
                stack.push(Frame::Array {
                    index: 0,
                    want_value: true,
                    record,
                });
            }
            b'}' | b']' => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Frame::Object { want_key, .. }) => *want_key = true,
                Some(Frame::Array {
                    index, want_value, ..
                }) => {
                    *index += 1;
                    *want_value = true;
                }
                None => {}
            },
            _ => {}
        }
        i += 1;
    }
    found
}

fn path_of(stack: &[Frame]) -> Vec<Seg> {
    stack
        .iter()
        .map(|f| match f {
            Frame::Object { key, .. } => Seg::Key(key.clone().unwrap_or_default()),
            Frame::Array { index, .. } => Seg::Index(*index),
        })
        .collect()
}

/// Start lines of the elements of the array at exactly `path` (the last one if repeated).
pub(super) fn lines_at<'a>(found: &'a [(Vec<Seg>, Vec<usize>)], path: &[Seg]) -> &'a [usize] {
    found
        .iter()
        .rev()
        .find(|(p, _)| p.as_slice() == path)
        .map(|(_, l)| l.as_slice())
        .unwrap_or(&[])
}
