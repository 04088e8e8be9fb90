//! Crash-safe file replacement.

use super::StoreError;
use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Prefix of temp files written next to `path` (hidden, per target file).
fn temp_prefix(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!(".{name}.tmp-")
}

fn sibling(path: &Path, name: String) -> PathBuf {
    path.with_file_name(name)
}

/// Writes `bytes` to `path` so that, whatever moment the process dies at,
/// `path` holds either its old content or the new content, never a mix:
/// the data goes to a temp file in the same folder, is fsynced, and is then
/// renamed over `path`; the folder is fsynced after. With `keep_backup`,
/// the previous file is first preserved (also atomically) as `PATH.bak`.
pub fn atomic_write(path: &Path, bytes: &[u8], keep_backup: bool) -> Result<(), StoreError> {
    replace_file(path, keep_backup, true, |w| w.write_all(bytes))
}

/// Like [`atomic_write`], with the content written by `write` in pieces
/// (so a large file never has to be whole in memory). Same guarantee: the
/// temp file is fsynced and renamed only once `write` has succeeded.
pub fn atomic_write_with(
    path: &Path,
    keep_backup: bool,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), StoreError> {
    replace_file(path, keep_backup, true, write)
}

/// Like [`atomic_write`] (readers see the old file or the new one, never a
/// partial one) but without fsync: for exports, which can be written again,
/// where waiting for the disk would dominate the time.
pub fn replace_without_sync(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    replace_file(path, false, false, |w| w.write_all(bytes))
}

fn replace_file(
    path: &Path,
    keep_backup: bool,
    durable: bool,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), StoreError> {
    if path.is_dir() {
        return Err(StoreError::IsDirectory(path.to_path_buf()));
    }
    let unique = format!(
        "{}{}-{}",
        temp_prefix(path),
        std::process::id(),
        TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)
    );
    let tmp = sibling(path, unique);
    let result = write_temp(&tmp, durable, write).and_then(|()| {
        if keep_backup && path.exists() {
            backup(path)?;
        }
        fs::rename(&tmp, path).map_err(|e| StoreError::io(path, "replace", e))?;
        if durable {
            sync_parent(path);
        }
        Ok(())
    });
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

fn write_temp(
    tmp: &Path,
    durable: bool,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), StoreError> {
    let mut file = File::create(tmp).map_err(|e| StoreError::io(tmp, "create", e))?;
    write(&mut file).map_err(|e| StoreError::io(tmp, "write", e))?;
    if durable {
        file.sync_all()
            .map_err(|e| StoreError::io(tmp, "sync", e))?;
    }
    Ok(())
}

/// Makes `PATH.bak` a copy of `path` without ever leaving a partial `.bak`:
/// hard-link (or copy) to a temp name, then rename.
fn backup(path: &Path) -> Result<(), StoreError> {
    let mut bak_name = path.file_name().unwrap_or_default().to_os_string();
    bak_name.push(".bak");
    let bak = path.with_file_name(bak_name);
    let tmp = sibling(
        path,
        format!(
            "{}bak-{}-{}",
            temp_prefix(path),
            std::process::id(),
            TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)
        ),
    );
    if fs::hard_link(path, &tmp).is_err() {
        fs::copy(path, &tmp).map_err(|e| StoreError::io(&bak, "back up to", e))?;
        if let Ok(f) = File::open(&tmp) {
            let _ = f.sync_all();
        }
    }
    let renamed = fs::rename(&tmp, &bak);
    // The temp name goes whatever happened: after a failed rename, and
    // after one that did nothing because `.bak` already is a hard link to
    // `path` (a save killed after its backup, before its rename: POSIX
    // rename between two links of one file does nothing and succeeds).
    let _ = fs::remove_file(&tmp);
    renamed.map_err(|e| StoreError::io(&bak, "back up to", e))
}

#[cfg(unix)]
fn sync_parent(path: &Path) {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if let Ok(dir) = File::open(parent) {
        let _ = dir.sync_all();
    }
}

#[cfg(not(unix))]
fn sync_parent(_path: &Path) {}

/// Removes temp files left next to `path` by a save that was killed.
/// Returns how many were removed. A temp file whose writer is still alive
/// is only removed once it is more than a minute old.
pub fn remove_stale_temp_files(path: &Path) -> usize {
    let prefix = temp_prefix(path);
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let Ok(entries) = fs::read_dir(&dir) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.starts_with(&prefix) {
            continue;
        }
        let modified = entry.metadata().and_then(|m| m.modified()).ok();
        let old_enough = modified
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age.as_secs() >= 60);
        let writer_gone = name[prefix.len()..]
            .trim_start_matches("bak-")
            .split('-')
            .next()
            .and_then(|pid| pid.parse::<u32>().ok())
            .is_some_and(|pid| !writer_alive(pid, modified));
        if (old_enough || writer_gone) && fs::remove_file(entry.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// Whether the process that wrote a temp file last modified at `written`
/// may still be writing it (Linux: `/proc`; elsewhere assume so). A
/// process with that id that started after the write is another one: ids
/// are reused (only 32,768 of them on many systems).
fn writer_alive(pid: u32, written: Option<std::time::SystemTime>) -> bool {
    if pid == std::process::id() {
        return true;
    }
    if !cfg!(target_os = "linux") {
        return true;
    }
    if !Path::new(&format!("/proc/{pid}")).exists() {
        return false;
    }
    match (process_start(pid), written) {
        // A second of slack: the start time is counted in clock ticks.
        (Some(started), Some(written)) => started <= written + std::time::Duration::from_secs(1),
        _ => true,
    }
}

/// When process `pid` started, from `/proc/PID/stat` (field 22, clock
/// ticks after boot) and the boot time in `/proc/stat`.
fn process_start(pid: u32) -> Option<std::time::SystemTime> {
    // USER_HZ: 100 on every Linux that Marginalia runs on.
    const TICKS_PER_SECOND: u64 = 100;
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) may hold spaces; fields 3… follow its ')'.
    let after_name = &stat[stat.rfind(')')? + 1..];
    let ticks: u64 = after_name.split_whitespace().nth(19)?.parse().ok()?;
    let boot: u64 = fs::read_to_string("/proc/stat")
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix("btime "))?
        .trim()
        .parse()
        .ok()?;
    let since_epoch =
        std::time::Duration::from_millis(boot * 1000 + ticks * 1000 / TICKS_PER_SECOND);
    Some(std::time::UNIX_EPOCH + since_epoch)
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;
    use std::time::{Duration, SystemTime};

    #[test]
    fn a_reused_process_id_is_not_the_writer() {
        let started = process_start(std::process::id()).expect("own start time");
        assert!(started <= SystemTime::now() + Duration::from_secs(1));
        let mut child = std::process::Command::new("sleep")
            .arg("5")
            .spawn()
            .expect("sleep runs");
        let pid = child.id();
        // A file written now: the live child may be writing it.
        assert!(writer_alive(pid, Some(SystemTime::now())));
        // A file written long before the child started: another process
        // had that id.
        let long_ago = SystemTime::now() - Duration::from_secs(3600);
        assert!(!writer_alive(pid, Some(long_ago)));
        let _ = child.kill();
        let _ = child.wait();
        assert!(!writer_alive(pid, Some(SystemTime::now())), "gone");
    }

    #[test]
    fn a_backup_that_already_links_the_file_leaves_no_temp_name() {
        // The state a save killed between its backup and its rename leaves.
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("p.ron");
        fs::write(&path, "old").expect("write");
        fs::hard_link(&path, dir.path().join("p.ron.bak")).expect("link");
        atomic_write(&path, b"new", true).expect("save");
        let temps: Vec<String> = fs::read_dir(dir.path())
            .expect("temp dir lists")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".tmp-"))
            .collect();
        assert_eq!(temps, Vec::<String>::new());
        assert_eq!(fs::read(&path).expect("read"), b"new");
        let bak = fs::read(dir.path().join("p.ron.bak")).expect("read bak");
        assert_eq!(bak, b"old");
    }
}
