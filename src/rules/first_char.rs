//! Phrase tables indexed by the first character of each phrase.
//!
//! The vocabulary scans (rejection reasons, chat phrases, talent-pool tags)
//! look for a phrase at every position of a text. Trying every phrase of a
//! table at every position made them the costliest part of normalizing and
//! extracting; with this index a position tries only the phrases that can
//! start with its character.

/// Buckets of the index; a character's bucket is its code point modulo this.
const BUCKETS: usize = 1024;

/// The positions of a list of phrases grouped by the bucket of their first
/// character, each group in list order (so a table sorted longest first
/// stays longest first). A group may hold phrases of other characters of
/// the same bucket: callers check the phrase itself, as they did before.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FirstChar {
    /// `rows[offsets[b]..offsets[b + 1]]` are the phrases of bucket `b`.
    offsets: Vec<u32>,
    rows: Vec<u32>,
}

impl FirstChar {
    /// Indexes `phrases` (empty ones are never returned).
    pub fn new<'a>(phrases: impl IntoIterator<Item = &'a str>) -> FirstChar {
        let buckets: Vec<Option<usize>> = phrases
            .into_iter()
            .map(|p| p.chars().next().map(|c| c as usize % BUCKETS))
            .collect();
        let mut offsets = vec![0u32; BUCKETS + 1];
        for b in buckets.iter().flatten() {
            offsets[b + 1] += 1;
        }
        for b in 0..BUCKETS {
            offsets[b + 1] += offsets[b];
        }
        let mut next = offsets.clone();
        let mut rows = vec![0u32; offsets[BUCKETS] as usize];
        for (i, b) in buckets.iter().enumerate() {
            if let Some(b) = *b {
                rows[next[b] as usize] = i as u32;
                next[b] += 1;
            }
        }
        FirstChar { offsets, rows }
    }

    /// Positions of the phrases that may begin with `c`, in list order.
    pub fn rows(&self, c: char) -> &[u32] {
        let b = c as usize % BUCKETS;
        match (self.offsets.get(b), self.offsets.get(b + 1)) {
            (Some(&from), Some(&to)) => &self.rows[from as usize..to as usize],
            _ => &[],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_phrase_is_found_under_its_first_character_in_list_order() {
        let phrases = ["不录用", "录用", "", "不合适", "offer", "录取", "ｏ"];
        let index = FirstChar::new(phrases);
        for c in ['不', '录', 'o', 'ｏ', 'x'] {
            let got: Vec<&str> = index
                .rows(c)
                .iter()
                .map(|&i| phrases[i as usize])
                .filter(|p| p.starts_with(c))
                .collect();
            let want: Vec<&str> = phrases
                .iter()
                .copied()
                .filter(|p| p.starts_with(c))
                .collect();
            assert_eq!(got, want, "{c}");
        }
        assert!(FirstChar::default().rows('录').is_empty());
    }
}
