//! The reuse cache of a run: what reading and normalizing one input file
//! produced, kept in `<out>/.cache/` so that the next run into the same
//! folder skips every file whose bytes and settings did not change.
//!
//! This module owns the mechanics — the key, the entry file format, atomic
//! writes, refusing a damaged entry, removing entries no run uses any more.
//! What goes into an entry and into its key is [`crate::run`]'s business:
//! it knows what normalization reads.
//!
//! An entry is trusted only when everything about it checks out: the magic,
//! the format version, the key it was written under (also its file name),
//! the payload length and the payload's SHA-256. Anything else — a run killed
//! mid-write on a file system without atomic rename, a disk error, an entry
//! from another hrflow build — makes [`Cache::get`] return `None` with a
//! note, and the file is simply read again. A stale entry silently changing
//! the output is the one failure this design must never allow, so the key
//! also carries a fingerprint of the running executable: a rebuilt hrflow
//! with different rules never trusts an entry an older build wrote, even
//! when nobody bumped the version.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};
use sha2::{Digest, Sha256};

/// The cache folder inside the output folder.
pub const DIR: &str = ".cache";

/// Bumped whenever a cached type changes shape (a field added, removed or
/// retyped in `run::FileLoad` or anything it holds): postcard is not
/// self-describing, so an old entry could otherwise decode into wrong
/// values. The executable fingerprint in the key covers this too; the
/// constant makes the intent explicit and the refusal message precise.
pub const FORMAT: u32 = 5;

const MAGIC: &[u8; 7] = b"HRFLOWC";
/// magic, format (u32), key (32), payload length (u64), payload SHA-256 (32).
const HEADER: usize = 7 + 4 + 32 + 8 + 32;
const SUFFIX: &str = ".bin";

/// The key of one entry: SHA-256 over everything that determines it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key([u8; 32]);

impl Key {
    fn hex(&self) -> String {
        hex(&self.0)
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The thread hashing the executable.
type Hashing = std::thread::JoinHandle<Result<[u8; 32], String>>;

/// A run's view of the cache folder: lookups, writes, and what was used.
pub struct Cache {
    dir: PathBuf,
    /// SHA-256 of the running executable (see the module docs), hashed on
    /// a thread of its own while the first files are read; `None` when the
    /// executable cannot be read, and then nothing is reused or stored.
    build: std::sync::OnceLock<Option<[u8; 32]>>,
    hashing: Mutex<Option<Hashing>>,
    /// Entries this run read or wrote, by file name; the rest are pruned.
    used: Mutex<BTreeSet<String>>,
    /// Entries refused, with why, for the run log.
    problems: Mutex<Vec<String>>,
}

impl Cache {
    /// The cache of the output folder `out`.
    pub fn open(out: &Path) -> Cache {
        Cache {
            dir: out.join(DIR),
            build: std::sync::OnceLock::new(),
            hashing: Mutex::new(Some(std::thread::spawn(hash_executable))),
            used: Mutex::new(BTreeSet::new()),
            problems: Mutex::new(Vec::new()),
        }
    }

    fn build(&self) -> Option<[u8; 32]> {
        *self.build.get_or_init(|| {
            let hashing = self.hashing.lock().expect("hashing lock").take();
            let hashed = match hashing.map(std::thread::JoinHandle::join) {
                Some(Ok(r)) => r,
                _ => Err("hashing it failed".to_string()),
            };
            hashed
                .map_err(|why| {
                    self.problems
                        .lock()
                        .expect("cache problems lock")
                        .push(format!(
                            "the cache is off: hrflow cannot fingerprint itself ({why})"
                        ));
                })
                .ok()
        })
    }

    /// The key for `parts` (each length-prefixed, so no two part lists
    /// collide), under this build, crate version and format; `None` when
    /// the build has no fingerprint.
    pub fn key(&self, parts: &[&[u8]]) -> Option<Key> {
        let build = self.build()?;
        let mut h = Sha256::new();
        h.update(MAGIC);
        h.update(FORMAT.to_le_bytes());
        h.update(env!("CARGO_PKG_VERSION").as_bytes());
        h.update(build);
        for p in parts {
            h.update((p.len() as u64).to_le_bytes());
            h.update(p);
        }
        Some(Key(h.finalize().into()))
    }

    fn path(&self, key: &Key) -> PathBuf {
        self.dir.join(format!("{}{SUFFIX}", key.hex()))
    }

    /// The entry under `key`, if there is one that checks out. A damaged
    /// or foreign entry is noted (naming `what`) and treated as missing.
    pub fn get<T: DeserializeOwned>(&self, key: &Key, what: &str) -> Option<T> {
        let path = self.path(key);
        let bytes = std::fs::read(&path).ok()?;
        match decode(&bytes, key) {
            Ok(v) => {
                self.used_entry(key);
                Some(v)
            }
            Err(why) => {
                self.problems
                    .lock()
                    .expect("cache problems lock")
                    .push(format!(
                        "the cache entry for `{what}` was ignored ({why}); the file was read again"
                    ));
                None
            }
        }
    }

    /// Stores `value` under `key`: written to a temporary file and renamed,
    /// so a killed run leaves either no entry or a whole one. A failure
    /// (a full disk) is noted, naming `what`; the run goes on without it.
    pub fn put<T: Serialize>(&self, key: &Key, what: &str, value: &T) {
        if let Err(why) = self.write(key, value) {
            self.problems
                .lock()
                .expect("cache problems lock")
                .push(format!(
                    "the cache entry for `{what}` could not be written: {why}"
                ));
        }
    }

    fn write<T: Serialize>(&self, key: &Key, value: &T) -> Result<(), String> {
        let payload = postcard::to_stdvec(value).map_err(|e| e.to_string())?;
        let path = self.path(key);
        crate::output::write_atomic(&path, |w| {
            use std::io::Write;
            w.write_all(MAGIC)?;
            w.write_all(&FORMAT.to_le_bytes())?;
            w.write_all(&key.0)?;
            w.write_all(&(payload.len() as u64).to_le_bytes())?;
            w.write_all(&Sha256::digest(&payload))?;
            w.write_all(&payload)
        })
        .map_err(|e| format!("writing `{}`: {e}", path.display()))?;
        self.used_entry(key);
        Ok(())
    }

    fn used_entry(&self, key: &Key) {
        self.used
            .lock()
            .expect("cache use lock")
            .insert(format!("{}{SUFFIX}", key.hex()));
    }

    /// Removes every file in the cache folder this run did not use: entries
    /// of files no longer read (or read with other settings or another
    /// build), and anything else that is not an entry. Returns how many.
    pub fn prune(&self) -> usize {
        let used = self.used.lock().expect("cache use lock");
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return 0;
        };
        let mut removed = 0;
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            if !used.contains(&name) && std::fs::remove_file(e.path()).is_ok() {
                removed += 1;
            }
        }
        removed
    }

    /// The entries refused so far, with why.
    pub fn problems(&self) -> Vec<String> {
        self.problems.lock().expect("cache problems lock").clone()
    }
}

fn hash_executable() -> Result<[u8; 32], String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut f = std::fs::File::open(&exe).map_err(|e| format!("`{}`: {e}", exe.display()))?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        match f.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => h.update(&buf[..n]),
            Err(e) => return Err(format!("`{}`: {e}", exe.display())),
        }
    }
    Ok(h.finalize().into())
}

/// What the cache did in a run, for the manifest and the run summary.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CacheSummary {
    /// Whether the run looked in the cache (`hrflow run --no-cache` reads
    /// every file and leaves the cache as it is).
    pub enabled: bool,
    /// Input files taken from the cache and input files read.
    pub files_reused: usize,
    pub files_read: usize,
    /// Pipeline sources all of whose files were taken from the cache.
    pub sources_reused: usize,
    /// Entries removed because no file of this run needs them any more.
    pub entries_removed: usize,
    /// Entries ignored (damaged, foreign) or not written, with why.
    pub problems: Vec<String>,
}

/// Checks an entry file and decodes its payload.
fn decode<T: DeserializeOwned>(bytes: &[u8], key: &Key) -> Result<T, String> {
    if bytes.len() < HEADER || &bytes[..7] != MAGIC {
        return Err("not a cache entry".into());
    }
    let format = u32::from_le_bytes(bytes[7..11].try_into().expect("4 bytes"));
    if format != FORMAT {
        return Err(format!(
            "written in cache format {format}, this hrflow reads {FORMAT}"
        ));
    }
    if bytes[11..43] != key.0 {
        return Err("written under another key".into());
    }
    let len = u64::from_le_bytes(bytes[43..51].try_into().expect("8 bytes"));
    let payload = &bytes[HEADER..];
    if payload.len() as u64 != len {
        return Err(format!(
            "truncated: {} of {len} payload bytes",
            payload.len()
        ));
    }
    if Sha256::digest(payload)[..] != bytes[51..83] {
        return Err("its checksum does not match".into());
    }
    let clear = || {
        SHARED.with(|s| s.borrow_mut().clear());
        LOCATIONS.with(|s| s.borrow_mut().clear());
    };
    clear();
    let v = postcard::from_bytes(payload);
    clear();
    v.map_err(|e| format!("cannot be decoded: {e}"))
}

// ---------------------------------------------------------------------------
// Decoding fields serde cannot decode on its own.
//
// The records hold `&'static str` codes (a closed vocabulary: `female`,
// `bachelor`, field names…) and `Arc<str>` locations shared by every record
// of a file. Serde cannot produce a `&'static str` from a buffer, and would
// give every record its own copy of each `Arc<str>`, which for the lineage of
// a 100k-row file is millions of allocations. Fields of those types are
// marked `#[serde(deserialize_with = "crate::cache::shared")]`: codes are
// interned once per process, and locations shared within one entry.
// Serializing needs nothing special.

thread_local! {
    /// Locations decoded in the current entry, shared by its records.
    static SHARED: std::cell::RefCell<std::collections::HashSet<Arc<str>>> =
        Default::default();
    /// Record locations decoded in the current entry, shared by its records.
    static LOCATIONS: std::cell::RefCell<std::collections::HashSet<Arc<crate::model::Location>>> =
        Default::default();
    /// This thread's view of [`STATICS`], to decode codes without a lock.
    static LOCAL_STATICS: std::cell::RefCell<std::collections::HashSet<&'static str>> =
        Default::default();
}

/// Every code decoded in this process. Leaked on purpose: the values are
/// the program's own vocabulary codes, so there are a few hundred at most,
/// each leaked once per process however many entries are read.
static STATICS: std::sync::LazyLock<Mutex<std::collections::HashSet<&'static str>>> =
    std::sync::LazyLock::new(Default::default);

fn intern_static(s: &str) -> &'static str {
    LOCAL_STATICS.with(|local| {
        if let Some(v) = local.borrow().get(s) {
            return *v;
        }
        let v = {
            let mut all = STATICS.lock().expect("statics lock");
            match all.get(s) {
                Some(v) => *v,
                None => {
                    let v: &'static str = Box::leak(s.to_owned().into_boxed_str());
                    all.insert(v);
                    v
                }
            }
        };
        local.borrow_mut().insert(v);
        v
    })
}

fn intern_shared(s: &str) -> Arc<str> {
    SHARED.with(|set| {
        let mut set = set.borrow_mut();
        if let Some(v) = set.get(s) {
            return v.clone();
        }
        let v: Arc<str> = Arc::from(s);
        set.insert(v.clone());
        v
    })
}

/// The shared block of `location` in the entry being decoded: the records
/// of one sheet point to one [`crate::model::Location`] again.
pub fn shared_location(location: crate::model::Location) -> Arc<crate::model::Location> {
    LOCATIONS.with(|set| {
        let mut set = set.borrow_mut();
        if let Some(v) = set.get(&location) {
            return v.clone();
        }
        let v = Arc::new(location);
        set.insert(v.clone());
        v
    })
}

/// A field type decoded through an interner (see above).
pub trait Shared: Sized {
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error>;
}

/// `deserialize_with` for [`Shared`] fields.
pub fn shared<'de, D: Deserializer<'de>, T: Shared>(d: D) -> Result<T, D::Error> {
    T::decode(d)
}

struct StrVisitor<F>(F);

impl<T, F: FnOnce(&str) -> T> serde::de::Visitor<'_> for StrVisitor<F> {
    type Value = T;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<T, E> {
        Ok((self.0)(v))
    }
}

impl Shared for &'static str {
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(StrVisitor(intern_static))
    }
}

impl Shared for Arc<str> {
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(StrVisitor(intern_shared))
    }
}

/// A [`Shared`] value where serde wants a `Deserialize` one.
#[repr(transparent)]
struct Wrap<T>(T);

impl<'de, T: Shared> Deserialize<'de> for Wrap<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::decode(d).map(Wrap)
    }
}

impl<T: Shared> Shared for Option<T> {
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Option::<Wrap<T>>::deserialize(d).map(|o| o.map(|w| w.0))
    }
}

impl<T: Shared> Shared for Vec<T> {
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Vec::<Wrap<T>>::deserialize(d).map(|v| v.into_iter().map(|w| w.0).collect())
    }
}

impl<A: Shared, B: DeserializeOwned> Shared for (A, B) {
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        <(Wrap<A>, B)>::deserialize(d).map(|(a, b)| (a.0, b))
    }
}

impl<A: Shared, B: DeserializeOwned, C: DeserializeOwned> Shared for (A, B, C) {
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        <(Wrap<A>, B, C)>::deserialize(d).map(|(a, b, c)| (a.0, b, c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Sample {
        #[serde(deserialize_with = "shared")]
        code: crate::model::Code,
        #[serde(deserialize_with = "shared")]
        codes: Vec<(&'static str, String)>,
        #[serde(deserialize_with = "shared")]
        file: Arc<str>,
        #[serde(deserialize_with = "shared")]
        sheet: Option<Arc<str>>,
    }

    fn sample() -> Sample {
        Sample {
            code: "female",
            codes: vec![("phone", "138".into()), ("email", "a@b".into())],
            file: Arc::from("a.xlsx"),
            sheet: Some(Arc::from("a.xlsx")),
        }
    }

    fn cache(dir: &Path) -> Cache {
        Cache::open(dir)
    }

    #[test]
    fn entries_round_trip_and_share_their_locations() {
        let dir = tempfile::tempdir().unwrap();
        let c = cache(dir.path());
        let key = c.key(&[b"a", b"b"]).unwrap();
        c.put(&key, "a.xlsx", &sample());
        let back: Sample = c.get(&key, "a.xlsx").unwrap();
        assert_eq!(back, sample());
        assert!(Arc::ptr_eq(&back.file, back.sheet.as_ref().unwrap()));
        assert!(c.problems().is_empty());
    }

    #[test]
    fn records_of_one_sheet_share_their_location_again() {
        use crate::model::Origin;
        let dir = tempfile::tempdir().unwrap();
        let c = cache(dir.path());
        let key = c.key(&[b"o"]).unwrap();
        let one = Origin::new("source[1]".into(), "a.xlsx".into(), Some("S".into()), 2);
        let other = Origin::new("source[1]".into(), "b.xlsx".into(), None, 2);
        let origins = vec![one.clone(), Origin { row: 3, ..one }, other];
        c.put(&key, "a.xlsx", &origins);
        let back: Vec<Origin> = c.get(&key, "a.xlsx").unwrap();
        assert_eq!(back, origins);
        assert_eq!(back[1].describe(), "a.xlsx › S › row 3");
        assert!(Arc::ptr_eq(&back[0].at, &back[1].at));
        assert!(!Arc::ptr_eq(&back[0].at, &back[2].at));
        // A pointer and a row: what every record pays for knowing its cell.
        assert_eq!(std::mem::size_of::<Option<Origin>>(), 16);
    }

    #[test]
    fn key_parts_cannot_run_together() {
        let dir = tempfile::tempdir().unwrap();
        let c = cache(dir.path());
        assert_ne!(c.key(&[b"ab", b"c"]), c.key(&[b"a", b"bc"]));
        assert_eq!(c.key(&[b"ab", b"c"]), c.key(&[b"ab", b"c"]));
    }

    #[test]
    fn damaged_entries_are_refused_with_a_reason() {
        let dir = tempfile::tempdir().unwrap();
        let c = cache(dir.path());
        let key = c.key(&[b"x"]).unwrap();
        c.put(&key, "a.xlsx", &sample());
        let path = c.path(&key);
        let good = std::fs::read(&path).unwrap();
        let cases: Vec<(Vec<u8>, &str)> = vec![
            (good[..good.len() - 3].to_vec(), "truncated"),
            (
                {
                    let mut b = good.clone();
                    let last = b.len() - 1;
                    b[last] ^= 1;
                    b
                },
                "checksum",
            ),
            (
                {
                    let mut b = good.clone();
                    b[7..11].copy_from_slice(&(FORMAT + 1).to_le_bytes());
                    b
                },
                "cache format",
            ),
            (b"garbage".to_vec(), "not a cache entry"),
        ];
        for (bytes, why) in cases {
            std::fs::write(&path, bytes).unwrap();
            assert!(c.get::<Sample>(&key, "a.xlsx").is_none());
            let problems = c.problems();
            assert!(
                problems.last().unwrap().contains(why),
                "{why}: {problems:?}"
            );
        }
        // Under another key (renamed), the entry is not trusted either.
        std::fs::write(&path, &good).unwrap();
        let other = c.key(&[b"y"]).unwrap();
        std::fs::rename(&path, c.path(&other)).unwrap();
        assert!(c.get::<Sample>(&other, "a.xlsx").is_none());
    }

    #[test]
    fn pruning_keeps_only_what_the_run_used() {
        let dir = tempfile::tempdir().unwrap();
        let old = cache(dir.path());
        let (a, b) = (old.key(&[b"a"]).unwrap(), old.key(&[b"b"]).unwrap());
        old.put(&a, "a", &sample());
        old.put(&b, "b", &sample());
        let run = cache(dir.path());
        assert!(run.get::<Sample>(&a, "a").is_some());
        assert_eq!(run.prune(), 1);
        assert!(run.path(&a).exists() && !run.path(&b).exists());
    }
}
