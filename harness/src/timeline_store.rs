//! The timeline server's own store (ATS v1, LevelDB): every entity it holds, of every type. The
//! REST API only lists entities of a type one already knows; the store answers "what did this
//! application publish?" whatever the application called its entity types.
//!
//! The store is copied out of the running container and read from the copy (LevelDB allows one
//! writer, and the server is it). `LeveldbTimelineStore` keeps, for each entity, a start-time
//! lookup key `k<entity type>\0<entity id>`: those keys name every entity.
//!
//! ```
//! use yarnsec_harness::timeline_store::{parse_lookup_key, StoredEntity};
//! assert_eq!(
//!     parse_lookup_key(b"kDS_APP_ATTEMPT\0appattempt_1_0001_000001"),
//!     Some(StoredEntity { entity_type: "DS_APP_ATTEMPT".into(), id: "appattempt_1_0001_000001".into() })
//! );
//! ```

use std::path::Path;

/// An entity the timeline store holds.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct StoredEntity {
    /// Its type, as the publisher named it.
    pub entity_type: String,
    /// Its id.
    pub id: String,
}

/// The entity a start-time lookup key names.
pub fn parse_lookup_key(key: &[u8]) -> Option<StoredEntity> {
    let rest = key.strip_prefix(b"k")?;
    let sep = rest.iter().position(|b| *b == 0)?;
    let (entity_type, id) = (&rest[..sep], &rest[sep + 1..]);
    if entity_type.is_empty() || id.is_empty() || id.contains(&0) {
        return None;
    }
    Some(StoredEntity { entity_type: String::from_utf8(entity_type.to_vec()).ok()?, id: String::from_utf8(id.to_vec()).ok()? })
}

/// Every entity in the LevelDB databases under `root` (a copy of the store's directory).
pub fn entities_in(root: &Path) -> Result<Vec<StoredEntity>, String> {
    use rusty_leveldb::LdbIterator;
    let mut out = Vec::new();
    let mut found = false;
    for dir in databases(root) {
        found = true;
        // A copy: the lock file of the running server means nothing here.
        let _ = std::fs::remove_file(dir.join("LOCK"));
        let options = rusty_leveldb::Options { create_if_missing: false, ..Default::default() };
        let mut db = rusty_leveldb::DB::open(&dir, options).map_err(|e| format!("{}: {e}", dir.display()))?;
        let mut iter = db.new_iter().map_err(|e| format!("{}: {e}", dir.display()))?;
        // `seek` leaves the iterator on the first key at or after `k` (`next` would skip it).
        iter.seek(b"k");
        while let Some((key, _)) = iter.current() {
            if !key.starts_with(b"k") {
                break;
            }
            out.extend(parse_lookup_key(&key));
            if !iter.advance() {
                break;
            }
        }
    }
    if !found {
        return Err(format!("no LevelDB database (a directory with CURRENT) under {}", root.display()));
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// The directories under `root` that hold a LevelDB database.
fn databases(root: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        if dir.join("CURRENT").is_file() {
            out.push(dir.clone());
        }
        if let Ok(entries) = std::fs::read_dir(&dir) {
            stack.extend(entries.flatten().map(|e| e.path()).filter(|p| p.is_dir()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_keys_are_read_and_others_are_not() {
        assert_eq!(parse_lookup_key(b"kMAPREDUCE_JOB\0job_1_0001").unwrap().entity_type, "MAPREDUCE_JOB");
        assert_eq!(parse_lookup_key(b"eDS_APP_ATTEMPT\0x"), None);
        assert_eq!(parse_lookup_key(b"k\0x"), None);
        assert_eq!(parse_lookup_key(b"kTYPE"), None);
        assert_eq!(parse_lookup_key(b"kT\0a\0b"), None);
    }

    #[test]
    fn a_store_written_by_leveldb_is_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("leveldb-timeline-store.ldb");
        {
            let mut db = rusty_leveldb::DB::open(&path, rusty_leveldb::Options::default()).unwrap();
            db.put(b"kDS_CONTAINER\0container_1_0001_01_000002", &[0; 8]).unwrap();
            db.put(b"kDS_APP_ATTEMPT\0appattempt_1_0001_000001", &[0; 8]).unwrap();
            db.put(b"eDS_APP_ATTEMPT\0whatever", b"x").unwrap();
            db.put(b"z-domain", b"x").unwrap();
            db.flush().unwrap();
        }
        let found = entities_in(dir.path()).unwrap();
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].entity_type, "DS_APP_ATTEMPT");
        assert!(entities_in(&dir.path().join("nothing")).is_err());
    }
}
