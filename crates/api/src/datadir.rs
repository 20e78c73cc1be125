//! Where the data lives, and keeping it safe there.
//!
//! - **Local, never roaming.** The default folder is the OS's local application data
//!   (`%LOCALAPPDATA%` on Windows, `$XDG_DATA_HOME` on Linux): on roaming profiles `%APPDATA%`
//!   sits on the file server, where SQLite's WAL is not safe. A database left in the old roaming
//!   folder by an earlier version is moved on first start ([`move_from_roaming`]): renamed when
//!   on the same volume, else copied to a temporary folder beside the new one, synced and renamed
//!   into place, and the old folder renamed aside (never deleted) — the clerk is told.
//! - **Not on a network share.** A data folder on a UNC path (`\\server\share`, also as the
//!   `\\?\UNC\` form Windows gives a mapped drive's canonical path), on a drive Windows reports
//!   as remote (a mapped `Z:`), or, on Linux, on an NFS/SMB mount is refused with a Chinese
//!   message ([`network_location`]). A local path in Windows' verbatim form (`\\?\C:\…`, what
//!   `canonicalize` returns) is local.
//! - **One window per data folder.** The desktop holds an exclusive lock on `gongkai.lock` in
//!   the folder for as long as it runs ([`InstanceLock`]); a second window on the same folder is
//!   refused instead of writing the same database.

use crate::{ApiError, ErrorCode};
use std::path::{Path, PathBuf};

/// The default data folder on this OS (before `GONGKAI_DATA_DIR` and `--data-dir`).
pub fn local_data_dir() -> PathBuf {
    directories::ProjectDirs::from("cn", "gongkai", "Gongkai")
        .map(|p| p.data_local_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from("gongkai-data"))
}

/// The roaming folder earlier versions used (the same as the local one except on Windows).
pub fn roaming_data_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("cn", "gongkai", "Gongkai").map(|p| p.data_dir().to_path_buf())
}

/// Network file systems as `/proc/mounts` names them.
const NETWORK_FS: &[&str] = &[
    "nfs",
    "nfs4",
    "cifs",
    "smb3",
    "smbfs",
    "ncpfs",
    "afs",
    "9p",
    "fuse.sshfs",
    "davfs",
];

/// Why `dir` is a network location, if it is: a UNC path on any OS, or (given the text of
/// `/proc/mounts`) a folder whose longest mount prefix is a network file system.
pub fn network_location(dir: &Path, mounts: Option<&str>) -> Option<String> {
    let s = dir.to_string_lossy();
    if is_unc(&s) {
        return Some(format!("{s} 是网络共享路径"));
    }
    if let Some(letter) = drive_letter(&s) {
        if drive_is_remote(letter) {
            return Some(format!("{s} 所在的 {letter}: 盘是映射的网络驱动器"));
        }
    }
    let mounts = mounts?;
    let mut best: Option<(usize, &str, &str)> = None;
    for line in mounts.lines() {
        let mut f = line.split_whitespace();
        let (Some(_src), Some(point), Some(fstype)) = (f.next(), f.next(), f.next()) else {
            continue;
        };
        let point_path = Path::new(point);
        if dir.starts_with(point_path) && best.is_none_or(|(n, _, _)| point.len() > n) {
            best = Some((point.len(), point, fstype));
        }
    }
    let (_, point, fstype) = best?;
    NETWORK_FS.contains(&fstype).then(|| {
        format!(
            "{} 位于网络文件系统（{fstype}，挂载于 {point}）",
            dir.display()
        )
    })
}

/// Whether a path names a network share: `\\server\share` or `//server/share`, or the verbatim
/// `\\?\UNC\server\share`; not the verbatim or device form of a local path (`\\?\C:\…`,
/// `\\.\C:\…`, `\\?\Volume{…}`).
fn is_unc(s: &str) -> bool {
    let verbatim = [r"\\?\", r"\\.\", "//?/", "//./"]
        .iter()
        .find_map(|p| s.strip_prefix(p));
    match verbatim {
        Some(rest) => rest.get(..4).is_some_and(|unc| {
            unc.eq_ignore_ascii_case(r"UNC\") || unc.eq_ignore_ascii_case("UNC/")
        }),
        None => s.starts_with(r"\\") || s.starts_with("//"),
    }
}

/// The drive letter of a Windows path (`C:\…`, `\\?\C:\…`).
fn drive_letter(s: &str) -> Option<char> {
    let rest = [r"\\?\", r"\\.\", "//?/", "//./"]
        .iter()
        .find_map(|p| s.strip_prefix(p))
        .unwrap_or(s);
    let mut c = rest.chars();
    match (c.next(), c.next()) {
        (Some(l), Some(':')) if l.is_ascii_alphabetic() => Some(l.to_ascii_uppercase()),
        _ => None,
    }
}

/// Whether Windows reports the drive as remote (a mapped network drive).
#[cfg(windows)]
fn drive_is_remote(letter: char) -> bool {
    const DRIVE_REMOTE: u32 = 4;
    let root: Vec<u16> = format!("{letter}:\\").encode_utf16().chain([0]).collect();
    // SAFETY: `root` is a NUL-terminated UTF-16 string that outlives the call.
    unsafe { windows_sys::Win32::Storage::FileSystem::GetDriveTypeW(root.as_ptr()) == DRIVE_REMOTE }
}

/// No drive letters outside Windows.
#[cfg(not(windows))]
fn drive_is_remote(_letter: char) -> bool {
    false
}

/// The refusal of a data folder on the network.
pub fn refuse_network(dir: &Path) -> Result<(), ApiError> {
    let mounts = if cfg!(target_os = "linux") {
        std::fs::read_to_string("/proc/mounts").ok()
    } else {
        None
    };
    // A folder that does not exist yet is judged by where it will be created.
    let probe = dir
        .ancestors()
        .find(|p| p.exists())
        .and_then(|p| p.canonicalize().ok())
        .map(|p| p.join(dir.file_name().unwrap_or_default()))
        .unwrap_or_else(|| dir.to_path_buf());
    match network_location(&probe, mounts.as_deref())
        .or_else(|| network_location(dir, None))
    {
        Some(why) => Err(ApiError::new(
            ErrorCode::DataDirUnusable,
            format!(
                "数据文件夹不能放在网络位置：{why}。数据库在网络共享上可能损坏。请使用本机磁盘上的文件夹（默认为 {}），或用 --data-dir 指定。",
                local_data_dir().display()
            ),
        )),
        None => Ok(()),
    }
}

/// What [`move_from_roaming`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Moved {
    /// Nothing to move (no old database, or the new folder already has one).
    Nothing,
    /// Moved; the message tells the clerk where from and to.
    Done(String),
}

/// Moves the data folder from `old` to `new` when `old` holds a database and `new` does not
/// (see the module doc). Never deletes: the old folder is renamed aside after a copy.
pub fn move_from_roaming(old: &Path, new: &Path) -> std::io::Result<Moved> {
    let db = crate::DB_FILE;
    if old == new || !old.join(db).is_file() || new.join(db).exists() {
        return Ok(Moved::Nothing);
    }
    if let Some(parent) = new.parent() {
        std::fs::create_dir_all(parent)?;
    }
    // An empty new folder (made by an earlier start that found nothing) is replaced.
    if new.is_dir() && std::fs::read_dir(new)?.next().is_none() {
        std::fs::remove_dir(new)?;
    }
    if new.exists() {
        return Ok(Moved::Nothing);
    }
    let how = match std::fs::rename(old, new) {
        Ok(()) => "移动",
        Err(_) => {
            copy_into_place(old, new)?;
            let aside = old.with_file_name(format!(
                "{}.已迁移到本机",
                old.file_name().unwrap_or_default().to_string_lossy()
            ));
            std::fs::rename(old, aside)?;
            "复制"
        }
    };
    Ok(Moved::Done(format!(
        "数据已从漫游文件夹 {} {how}到本机文件夹 {}（漫游配置文件所在的网络位置上数据库可能损坏）。",
        old.display(),
        new.display()
    )))
}

/// What the clerk is told when the move failed: the old data is untouched, and what to do.
pub fn move_failed(old: &Path, new: &Path, e: &std::io::Error) -> ApiError {
    ApiError::new(
        ErrorCode::DataDirUnusable,
        format!(
            "未能把数据从 {} 迁移到本机文件夹 {}：{e}。原数据未改动。请检查本机磁盘空间和权限后重新启动，或联系信息化管理员。",
            old.display(),
            new.display()
        ),
    )
}

/// Copies `old` (a folder, recursively) to a temporary folder beside `new`, syncs each file, then
/// renames it to `new` in one step.
pub(crate) fn copy_into_place(old: &Path, new: &Path) -> std::io::Result<()> {
    let tmp = new.with_file_name(format!(
        ".{}.partial",
        new.file_name().unwrap_or_default().to_string_lossy()
    ));
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp)?;
    }
    fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(to)?;
        for entry in std::fs::read_dir(from)? {
            let entry = entry?;
            let target = to.join(entry.file_name());
            if entry.file_type()?.is_dir() {
                copy_dir(&entry.path(), &target)?;
            } else {
                std::fs::copy(entry.path(), &target)?;
                std::fs::File::open(&target)?.sync_all()?;
            }
        }
        Ok(())
    }
    copy_dir(old, &tmp)?;
    std::fs::rename(&tmp, new)
}

/// The desktop's hold on a data folder (released when dropped or when the process ends, even
/// by kill -9: the OS drops the lock with the process).
#[derive(Debug)]
pub struct InstanceLock {
    _file: std::fs::File,
}

/// How long a start waits for a window that is closing to let go of the folder.
pub const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(3);

/// Takes the folder's lock, waiting up to `wait` for a window that is closing; else says that
/// another window has it.
pub fn lock_instance_within(
    dir: &Path,
    wait: std::time::Duration,
) -> Result<InstanceLock, ApiError> {
    let until = std::time::Instant::now() + wait;
    loop {
        match lock_instance(dir) {
            Err(e) if e.code == ErrorCode::DataDirUnusable && e.message.contains("另一个窗口") =>
            {
                if std::time::Instant::now() >= until {
                    return Err(e);
                }
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
            other => return other,
        }
    }
}

/// Takes the folder's lock, or says that another window has it.
pub fn lock_instance(dir: &Path) -> Result<InstanceLock, ApiError> {
    std::fs::create_dir_all(dir).map_err(|e| {
        ApiError::new(
            ErrorCode::DataDirUnusable,
            format!("无法使用数据文件夹 {}：{e}。", dir.display()),
        )
    })?;
    let path = dir.join("gongkai.lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| {
            ApiError::new(
                ErrorCode::DataDirUnusable,
                format!("无法使用数据文件夹 {}：{e}。", dir.display()),
            )
        })?;
    match file.try_lock() {
        Ok(()) => Ok(InstanceLock { _file: file }),
        Err(std::fs::TryLockError::WouldBlock) => Err(ApiError::new(
            ErrorCode::DataDirUnusable,
            "公开报送助手已在另一个窗口中打开（同一数据文件夹只能打开一个窗口）。请切换到已打开的窗口。",
        )),
        Err(std::fs::TryLockError::Error(e)) => Err(ApiError::new(
            ErrorCode::DataDirUnusable,
            format!("无法锁定数据文件夹 {}：{e}。", dir.display()),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MOUNTS: &str = "\
/dev/vda / ext4 rw,relatime 0 0
server:/export/home /home nfs4 rw,relatime 0 0
//fs01/profiles /mnt/profiles cifs rw 0 0
/dev/vdb /home/local ext4 rw 0 0
";

    #[test]
    fn network_locations_are_told_by_path_and_mount() {
        assert!(network_location(Path::new(r"\\fs01\profiles\clerk\Gongkai"), None).is_some());
        assert!(network_location(Path::new("//fs01/profiles"), None).is_some());
        let nfs = network_location(Path::new("/home/clerk/.local/share/gongkai"), Some(MOUNTS));
        assert!(nfs.unwrap().contains("nfs4"));
        assert!(network_location(Path::new("/mnt/profiles/x"), Some(MOUNTS))
            .unwrap()
            .contains("cifs"));
        // The longest mount prefix wins: a local disk mounted inside the NFS home.
        assert_eq!(
            network_location(Path::new("/home/local/gk"), Some(MOUNTS)),
            None
        );
        assert_eq!(
            network_location(Path::new("/var/lib/gk"), Some(MOUNTS)),
            None
        );
        assert!(refuse_network(Path::new(r"\\fs01\share\gk")).is_err());
    }

    #[test]
    fn windows_verbatim_paths_are_local_unless_they_name_a_share() {
        // What `canonicalize` returns on Windows for a local folder, and for a mapped drive.
        for local in [
            r"\\?\C:\Users\clerk\AppData\Local\gongkai\Gongkai\data",
            r"\\.\D:\gk",
            r"\\?\Volume{0b2f7c3e-0000-0000-0000-100000000000}\gk",
            r"C:\gk",
        ] {
            assert_eq!(network_location(Path::new(local), None), None, "{local}");
        }
        for share in [
            r"\\?\UNC\fs01\profiles\clerk",
            r"\\?\unc\fs01\profiles",
            "//?/UNC/fs01/profiles",
        ] {
            assert!(
                network_location(Path::new(share), None).is_some(),
                "{share}"
            );
        }
        assert_eq!(drive_letter(r"\\?\z:\gk"), Some('Z'));
        assert_eq!(drive_letter("/home/clerk"), None);
    }

    #[test]
    fn the_roaming_folder_moves_once_and_nothing_is_deleted() {
        let root = tempfile::tempdir().unwrap();
        let (old, new) = (root.path().join("Roaming"), root.path().join("Local"));
        std::fs::create_dir_all(old.join("keys")).unwrap();
        std::fs::write(old.join(crate::DB_FILE), b"db").unwrap();
        std::fs::write(old.join("keys/k.key"), b"key").unwrap();
        std::fs::create_dir_all(&new).unwrap(); // an empty folder an earlier start made
        let done = move_from_roaming(&old, &new).unwrap();
        assert!(
            matches!(done, Moved::Done(ref m) if m.contains("本机文件夹")),
            "{done:?}"
        );
        assert_eq!(std::fs::read(new.join(crate::DB_FILE)).unwrap(), b"db");
        assert_eq!(std::fs::read(new.join("keys/k.key")).unwrap(), b"key");
        // Second start: nothing to do.
        assert_eq!(move_from_roaming(&old, &new).unwrap(), Moved::Nothing);
    }

    #[test]
    fn a_copy_lands_whole_or_not_at_all_and_never_over_a_database() {
        let root = tempfile::tempdir().unwrap();
        let (old, new) = (root.path().join("a"), root.path().join("b"));
        std::fs::create_dir_all(&old).unwrap();
        std::fs::write(old.join(crate::DB_FILE), b"old").unwrap();
        copy_into_place(&old, &new).unwrap();
        assert_eq!(std::fs::read(new.join(crate::DB_FILE)).unwrap(), b"old");
        assert!(!root.path().join(".b.partial").exists());
        // The new folder has its own database: the old one is left alone.
        std::fs::write(new.join(crate::DB_FILE), b"new").unwrap();
        assert_eq!(move_from_roaming(&old, &new).unwrap(), Moved::Nothing);
        assert_eq!(std::fs::read(new.join(crate::DB_FILE)).unwrap(), b"new");
        assert!(old.join(crate::DB_FILE).exists());
    }

    #[test]
    fn a_second_window_on_one_folder_is_refused_until_the_first_closes() {
        let dir = tempfile::tempdir().unwrap();
        let first = lock_instance(dir.path()).unwrap();
        let e = lock_instance(dir.path()).unwrap_err();
        assert_eq!(e.code, ErrorCode::DataDirUnusable);
        assert!(e.message.contains("另一个窗口"), "{}", e.message);
        // A start while the first window is closing waits for it.
        let closing = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(300));
            drop(first);
        });
        let t = std::time::Instant::now();
        assert!(lock_instance_within(dir.path(), LOCK_WAIT).is_ok());
        assert!(t.elapsed() < LOCK_WAIT);
        closing.join().unwrap();
    }
}
