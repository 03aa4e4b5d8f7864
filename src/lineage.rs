//! Lineage: for every kept value, the cell or chat line it came from.
//!
//! A run keeps one lineage row per accepted source value, about fourteen
//! per candidate row: tens of millions for a long history. The rows are
//! held column by column, and what many rows share is stored once:
//!
//! - a [`Place`] (entity, field, file, sheet and column) is interned in a
//!   table, and a row holds its index: every value of a sheet's column has
//!   the same place;
//! - entity ids are a table of their own, one id shared by all the rows of
//!   one record, so that renaming candidates after resolution changes the
//!   table, not the rows;
//! - the values are one text buffer, a row holding where its value ends.
//!
//! A row costs 21 bytes plus its value's text (a row as a struct of shared
//! strings and an owned value took 128 bytes plus a heap block).

use std::collections::HashMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::model::Code;

/// What the lineage rows of one column of one sheet share.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Place {
    /// `candidate`, `application`, `evaluation`, `event`, `position`.
    #[serde(deserialize_with = "crate::cache::shared")]
    pub entity: Code,
    #[serde(deserialize_with = "crate::cache::shared")]
    pub field: Code,
    #[serde(deserialize_with = "crate::cache::shared")]
    pub file: Arc<str>,
    #[serde(deserialize_with = "crate::cache::shared")]
    pub sheet: Option<Arc<str>>,
    /// `C (手机号)`, or `chat` for a value said in a chat.
    #[serde(deserialize_with = "crate::cache::shared")]
    pub column: Arc<str>,
}

/// One lineage row: a kept value and where it came from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Entry<'a> {
    pub entity: Code,
    pub entity_id: &'a Arc<str>,
    pub field: Code,
    pub value: &'a str,
    pub file: &'a Arc<str>,
    pub sheet: &'a Option<Arc<str>>,
    /// 1-based sheet row, CSV line or chat line.
    pub row: u32,
    pub column: &'a Arc<str>,
    /// For candidate fields after resolution: whether this value is the
    /// candidate's surviving value (`false`: a conflicting value another
    /// record's won over, kept here so nothing is lost).
    pub survived: Option<bool>,
}

/// Every lineage row of a dataset, in the order they were added.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Lineage {
    places: Vec<Place>,
    ids: Vec<Arc<str>>,
    /// Per row: its place, its entity id, its row, where its value ends in
    /// `text` (it starts where the previous row's ends), its survival mark.
    place: Vec<u32>,
    id: Vec<u32>,
    row: Vec<u32>,
    ends: Vec<u64>,
    text: String,
    survived: Vec<Option<bool>>,
    /// Places by their content, and by the addresses of their strings (the
    /// cheap lookup for the many values of one column). An address key is
    /// only ever made from the strings held in `places` itself, which keeps
    /// them alive, so an address cannot be reused by another string.
    #[serde(skip)]
    by_text: HashMap<Place, u32>,
    #[serde(skip)]
    by_address: HashMap<[usize; 7], u32>,
}

impl PartialEq for Lineage {
    fn eq(&self, other: &Lineage) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

fn address(
    entity: Code,
    field: Code,
    file: &Arc<str>,
    sheet: &Option<Arc<str>>,
    column: &Arc<str>,
) -> [usize; 7] {
    [
        entity.as_ptr() as usize,
        entity.len(),
        field.as_ptr() as usize,
        field.len(),
        file.as_ptr() as usize,
        sheet.as_ref().map_or(0, |s| s.as_ptr() as usize),
        column.as_ptr() as usize,
    ]
}

impl Lineage {
    pub fn len(&self) -> usize {
        self.place.len()
    }

    pub fn is_empty(&self) -> bool {
        self.place.is_empty()
    }

    /// The index of the place (entity, field, file, sheet, column), added
    /// when it is new.
    pub fn place(
        &mut self,
        entity: Code,
        field: Code,
        file: &Arc<str>,
        sheet: &Option<Arc<str>>,
        column: &Arc<str>,
    ) -> u32 {
        let key = address(entity, field, file, sheet, column);
        if let Some(&i) = self.by_address.get(&key) {
            return i;
        }
        let place = Place {
            entity,
            field,
            file: file.clone(),
            sheet: sheet.clone(),
            column: column.clone(),
        };
        if let Some(&i) = self.by_text.get(&place) {
            return i;
        }
        let i = u32::try_from(self.places.len()).expect("fewer than 2^32 lineage places");
        self.by_text.insert(place.clone(), i);
        self.by_address.insert(key, i);
        self.places.push(place);
        i
    }

    /// Adds an entity id, to be shared by the rows of one record.
    pub fn id(&mut self, id: Arc<str>) -> u32 {
        let i = u32::try_from(self.ids.len()).expect("fewer than 2^32 lineage ids");
        self.ids.push(id);
        i
    }

    /// Adds a row: `value`, kept for entity `id` from `row` of `place`.
    pub fn push(&mut self, place: u32, id: u32, row: u32, value: &str) {
        self.place.push(place);
        self.id.push(id);
        self.row.push(row);
        self.text.push_str(value);
        self.ends.push(self.text.len() as u64);
        self.survived.push(None);
    }

    /// Adds a row with a place and an id of its own (values found one at a
    /// time, such as in a chat).
    #[allow(clippy::too_many_arguments)]
    pub fn push_one(
        &mut self,
        entity: Code,
        entity_id: Arc<str>,
        field: Code,
        value: &str,
        file: &Arc<str>,
        sheet: &Option<Arc<str>>,
        row: u32,
        column: &Arc<str>,
    ) {
        let place = self.place(entity, field, file, sheet, column);
        let id = self.id(entity_id);
        self.push(place, id, row, value);
    }

    /// Row `i`.
    pub fn get(&self, i: usize) -> Entry<'_> {
        let place = &self.places[self.place[i] as usize];
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        Entry {
            entity: place.entity,
            entity_id: &self.ids[self.id[i] as usize],
            field: place.field,
            value: &self.text[start..self.ends[i] as usize],
            file: &place.file,
            sheet: &place.sheet,
            row: self.row[i],
            column: &place.column,
            survived: self.survived[i],
        }
    }

    /// The place of row `i`.
    pub fn place_of(&self, i: usize) -> &Place {
        &self.places[self.place[i] as usize]
    }

    /// The index of the place of row `i` in [`Lineage::places`].
    pub fn place_index_of(&self, i: usize) -> u32 {
        self.place[i]
    }

    /// The entity id of row `i`.
    pub fn id_of(&self, i: usize) -> &str {
        &self.ids[self.id[i] as usize]
    }

    /// The value of row `i`.
    pub fn value_of(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.text[start..self.ends[i] as usize]
    }

    /// The source row of row `i`.
    pub fn row_of(&self, i: usize) -> u32 {
        self.row[i]
    }

    /// The survival mark of row `i`.
    pub fn survived_of(&self, i: usize) -> Option<bool> {
        self.survived[i]
    }

    /// The rows in the order they were added.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Entry<'_>> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    /// Sets every row's survival mark, in row order.
    pub fn set_survived(&mut self, marks: Vec<Option<bool>>) {
        assert_eq!(marks.len(), self.len(), "one mark per lineage row");
        self.survived = marks;
    }

    /// The place table, indexed by the place of a row (see [`Lineage::rows`]).
    pub fn places(&self) -> &[Place] {
        &self.places
    }

    /// Every row as (place index, entity id index, row number), in the
    /// order added: for work done once per place or per entity id rather
    /// than once per row.
    pub fn rows(&self) -> impl ExactSizeIterator<Item = (u32, u32, u32)> + '_ {
        self.place
            .iter()
            .zip(&self.id)
            .zip(&self.row)
            .map(|((&p, &id), &row)| (p, id, row))
    }

    /// Renames the ids of `entity`'s rows: `rename` gives an id's new name,
    /// or `None` to keep it.
    ///
    /// Rows are scanned and ids renamed in parallel, so `rename` is called
    /// from several threads, once per id of `entity`.
    pub fn rename_ids(&mut self, entity: Code, rename: impl Fn(&str) -> Option<Arc<str>> + Sync) {
        use rayon::prelude::*;
        use std::sync::atomic::{AtomicBool, Ordering};
        let wanted: Vec<bool> = self.places.iter().map(|p| p.entity == entity).collect();
        let of_entity: Vec<AtomicBool> = (0..self.ids.len())
            .map(|_| AtomicBool::new(false))
            .collect();
        self.place.par_iter().zip(&self.id).for_each(|(&p, &id)| {
            if wanted[p as usize] {
                of_entity[id as usize].store(true, Ordering::Relaxed);
            }
        });
        self.ids
            .par_iter_mut()
            .zip(of_entity)
            .for_each(|(id, yes)| {
                if yes.into_inner()
                    && let Some(new) = rename(id)
                {
                    *id = new;
                }
            });
    }

    /// Sets the survival mark of every row to `mark(place, entity id, row
    /// number, value)`, computed in parallel.
    pub fn mark_survived(&mut self, mark: impl Fn(u32, &str, u32, &str) -> Option<bool> + Sync) {
        use rayon::prelude::*;
        let n = self.len();
        let mut marks = std::mem::take(&mut self.survived);
        marks.resize(n, None);
        let this = &*self;
        marks.par_iter_mut().enumerate().for_each(|(i, m)| {
            *m = mark(
                this.place[i],
                &this.ids[this.id[i] as usize],
                this.row[i],
                this.value_of(i),
            );
        });
        self.survived = marks;
    }

    /// Makes room for `rows` more rows with `text` bytes of values.
    pub fn reserve(&mut self, rows: usize, text: usize) {
        self.place.reserve(rows);
        self.id.reserve(rows);
        self.row.reserve(rows);
        self.ends.reserve(rows);
        self.survived.reserve(rows);
        self.text.reserve(text);
    }

    /// Bytes of values held.
    pub fn text_len(&self) -> usize {
        self.text.len()
    }

    /// Appends `other`'s rows after this one's, freeing `other` as it goes
    /// (an empty store without reserved room takes `other`'s buffers).
    pub fn append(&mut self, other: Lineage) {
        if self.place.capacity() == 0 && self.places.is_empty() && self.ids.is_empty() {
            *self = other;
            return;
        }
        let Lineage {
            places,
            ids,
            place,
            id,
            row,
            ends,
            text,
            survived,
            ..
        } = other;
        let mut renumber = Vec::with_capacity(places.len());
        for p in places {
            renumber.push(self.place(p.entity, p.field, &p.file, &p.sheet, &p.column));
        }
        let id_base = u32::try_from(self.ids.len()).expect("fewer than 2^32 lineage ids");
        self.ids.extend(ids);
        self.place
            .extend(place.into_iter().map(|p| renumber[p as usize]));
        self.id.extend(id.into_iter().map(|i| i + id_base));
        self.row.extend(row);
        let text_base = self.text.len() as u64;
        self.ends.extend(ends.into_iter().map(|e| e + text_base));
        self.text.push_str(&text);
        drop(text);
        self.survived.extend(survived);
    }

    /// The rows in the lineage table's order, as row numbers: by entity,
    /// entity id, field, file, sheet (none first), row and column, rows
    /// alike in all of these in the order they were added.
    ///
    /// Ranks are computed on the place and id tables, packed with the row
    /// number and the row's index into one integer per row, and sorted.
    pub fn table_order(&self) -> Vec<u32> {
        self.order_packing_up_to(96)
    }

    /// [`Lineage::table_order`], sorting packed keys when they take at
    /// most `bits` bits, else comparing the keys' parts.
    fn order_packing_up_to(&self, bits: u32) -> Vec<u32> {
        use rayon::prelude::*;
        assert!(
            self.len() <= u32::MAX as usize,
            "fewer than 2^32 lineage rows"
        );
        let (entity, entities) = ranks(self.places.iter().map(|p| Some(p.entity)));
        let (field, fields) = ranks(self.places.iter().map(|p| Some(p.field)));
        let (file, files) = ranks(self.places.iter().map(|p| Some(&*p.file)));
        let (sheet, sheets) = ranks(self.places.iter().map(|p| p.sheet.as_deref()));
        let (column, columns) = ranks(self.places.iter().map(|p| Some(&*p.column)));
        let (id, ids) = ranks(self.ids.iter().map(|s| Some(&**s)));
        let max_row = self.row.iter().copied().max().unwrap_or(0);
        let widths = [entities, ids, fields, files, sheets, max_row, columns]
            .map(|n| u32::BITS - n.leading_zeros());
        let key = |i: usize| -> [u32; 7] {
            let p = self.place[i] as usize;
            [
                entity[p],
                id[self.id[i] as usize],
                field[p],
                file[p],
                sheet[p],
                self.row[i],
                column[p],
            ]
        };
        if widths.iter().sum::<u32>() <= bits {
            let mut packed: Vec<u128> = (0..self.len())
                .into_par_iter()
                .map(|i| {
                    let mut k = 0u128;
                    for (part, width) in key(i).into_iter().zip(widths) {
                        k = (k << width) | u128::from(part);
                    }
                    (k << 32) | i as u128
                })
                .collect();
            // The row's index makes every key distinct, so an unstable
            // sort gives the stable order.
            packed.par_sort_unstable();
            packed.into_iter().map(|k| k as u32).collect()
        } else {
            let mut order: Vec<u32> = (0..self.len() as u32).collect();
            order.par_sort_by_key(|&i| key(i as usize));
            order
        }
    }

    /// Frees the room kept for more rows.
    pub fn shrink_to_fit(&mut self) {
        self.places.shrink_to_fit();
        self.ids.shrink_to_fit();
        self.place.shrink_to_fit();
        self.id.shrink_to_fit();
        self.row.shrink_to_fit();
        self.ends.shrink_to_fit();
        self.text.shrink_to_fit();
        self.survived.shrink_to_fit();
    }

    /// Heap bytes held: (rows' columns and value text, places and ids with
    /// their strings), counting each shared string once per reference.
    pub fn heap_bytes(&self) -> (usize, usize) {
        let rows = self.place.capacity() * 4
            + self.id.capacity() * 4
            + self.row.capacity() * 4
            + self.ends.capacity() * 8
            + self.survived.capacity()
            + self.text.capacity();
        let tables = self.places.capacity() * std::mem::size_of::<Place>()
            + self.ids.capacity() * std::mem::size_of::<Arc<str>>()
            + self.ids.iter().map(|s| 16 + s.len()).sum::<usize>();
        (rows, tables)
    }
}

/// Each value's rank among the distinct values (1-based, ascending; 0 for
/// none) and the number of distinct values.
///
/// The values are sorted once, by index, and ranked in one pass over the
/// sorted list: every string is compared only while sorting.
fn ranks<'s>(values: impl Iterator<Item = Option<&'s str>>) -> (Vec<u32>, u32) {
    use rayon::prelude::*;
    let values: Vec<Option<&str>> = values.collect();
    let mut by_value: Vec<u32> = (0..values.len() as u32)
        .filter(|&i| values[i as usize].is_some())
        .collect();
    by_value.par_sort_unstable_by_key(|&i| values[i as usize]);
    let mut ranks = vec![0u32; values.len()];
    let mut distinct = 0u32;
    let mut last: Option<&str> = None;
    for &i in &by_value {
        let v = values[i as usize];
        if v != last {
            distinct += 1;
            last = v;
        }
        ranks[i as usize] = distinct;
    }
    (ranks, distinct)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Lineage {
        let file: Arc<str> = Arc::from("a.xlsx");
        let sheet: Option<Arc<str>> = Some(Arc::from("S1"));
        let phone: Arc<str> = Arc::from("C (手机号)");
        let mut l = Lineage::default();
        let p = l.place("candidate", "phone", &file, &sheet, &phone);
        let id = l.id(Arc::from("C1"));
        l.push(p, id, 2, "13800138000");
        l.push(p, id, 2, "");
        let other: Arc<str> = Arc::from("C (手机号)");
        assert_eq!(
            l.place("candidate", "phone", &file, &sheet, &other),
            p,
            "equal text is the same place"
        );
        l.push_one(
            "application",
            Arc::from("A1"),
            "position",
            "数据分析师",
            &file,
            &None,
            3,
            &Arc::from("D"),
        );
        l
    }

    #[test]
    fn rows_read_back_as_added() {
        let l = sample();
        type Row<'a> = (Code, &'a str, Code, &'a str, Option<&'a str>, u32, &'a str);
        let rows: Vec<Row> = l
            .iter()
            .map(|e| {
                (
                    e.entity,
                    &**e.entity_id,
                    e.field,
                    e.value,
                    e.sheet.as_deref(),
                    e.row,
                    &**e.column,
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                (
                    "candidate",
                    "C1",
                    "phone",
                    "13800138000",
                    Some("S1"),
                    2,
                    "C (手机号)"
                ),
                ("candidate", "C1", "phone", "", Some("S1"), 2, "C (手机号)"),
                ("application", "A1", "position", "数据分析师", None, 3, "D"),
            ]
        );
        assert_eq!(l.places.len(), 2);
    }

    #[test]
    fn appending_keeps_order_values_and_places() {
        let mut a = sample();
        let b = sample();
        let want: Vec<String> = sample()
            .iter()
            .chain(sample().iter())
            .map(|e| format!("{e:?}"))
            .collect();
        a.append(b);
        let got: Vec<String> = a.iter().map(|e| format!("{e:?}")).collect();
        assert_eq!(got, want);
        assert_eq!(a.places.len(), 2, "the same places once");
        let mut empty = Lineage::default();
        empty.append(sample());
        assert_eq!(empty, sample());
    }

    #[test]
    fn renaming_touches_only_the_entity_asked_for() {
        let mut l = sample();
        l.rename_ids("candidate", |id| Some(Arc::from(format!("{id}x"))));
        l.rename_ids("event", |_| Some(Arc::from("never")));
        let ids: Vec<&str> = l.iter().map(|e| &**e.entity_id).collect();
        assert_eq!(ids, ["C1x", "C1x", "A1"]);
        l.set_survived(vec![Some(true), Some(false), None]);
        let marks: Vec<Option<bool>> = l.iter().map(|e| e.survived).collect();
        assert_eq!(marks, [Some(true), Some(false), None]);
    }

    #[test]
    fn table_order_sorts_by_the_keys_with_ties_in_order_added() {
        let files: Vec<Arc<str>> = ["b.csv", "a.xlsx"].map(Arc::from).to_vec();
        let sheets: Vec<Option<Arc<str>>> =
            vec![None, Some(Arc::from("S2")), Some(Arc::from("S1"))];
        let columns: Vec<Arc<str>> = ["D (姓名)", "C (手机号)"].map(Arc::from).to_vec();
        let mut l = Lineage::default();
        let mut x = 7u32;
        for n in 0..300u32 {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let pick = |k: u32| ((x >> (8 + k * 3)) % 3) as usize;
            let entity = ["candidate", "application", "event"][pick(0)];
            let field = ["phone", "name", "city"][pick(1)];
            let place = l.place(
                entity,
                field,
                &files[pick(2) % 2],
                &sheets[pick(3)],
                &columns[pick(4) % 2],
            );
            let id = l.id(Arc::from(["C2", "A1", "C1"][pick(5)]));
            l.push(place, id, (x >> 3) % 4 + 1, &n.to_string());
        }
        let key = |e: &Entry| {
            (
                e.entity,
                e.entity_id.clone(),
                e.field,
                e.file.clone(),
                e.sheet.clone(),
                e.row,
                e.column.clone(),
            )
        };
        let mut want: Vec<u32> = (0..l.len() as u32).collect();
        want.sort_by_key(|&i| key(&l.get(i as usize)));
        assert_eq!(l.table_order(), want);
        assert_eq!(l.order_packing_up_to(0), want, "without packing");
    }

    #[test]
    fn a_cache_round_trip_gives_the_same_rows() {
        let l = sample();
        let bytes = postcard::to_stdvec(&l).unwrap();
        let back: Lineage = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(back, l);
        let mut more = back;
        more.append(sample());
        assert_eq!(more.len(), 6);
    }

    #[test]
    fn ranks_count_distinct_values_with_none_first() {
        let values = [
            Some("b"),
            None,
            Some("a"),
            Some("b"),
            Some("c"),
            None,
            Some("a"),
        ];
        assert_eq!(ranks(values.into_iter()), (vec![2, 0, 1, 2, 3, 0, 1], 3));
        assert_eq!(ranks(std::iter::empty()), (vec![], 0));
        assert_eq!(ranks([None, None].into_iter()), (vec![0, 0], 0));
    }
}
