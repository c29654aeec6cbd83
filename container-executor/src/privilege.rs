//! Whose identity the helper acts with. It starts as root (setuid) with the NodeManager as its
//! real user; it creates a user's files as that user with the NodeManager's group, writes the
//! NodeManager's files (pid and exit-code files) as the NodeManager, and finally becomes the user
//! for good before it runs anything of theirs.

use nix::unistd::{self, Gid, Group, Uid, User};

use crate::policy::UserRefusal;

/// An account the helper may act as.
#[derive(Clone, Debug)]
pub struct Account {
    /// Login name.
    pub name: String,
    /// Its uid.
    pub uid: Uid,
    /// Its primary group.
    pub gid: Gid,
}

/// Failed to switch identity.
#[derive(Debug, thiserror::Error)]
#[error("could not act as {who}: {source}")]
pub struct SwitchError {
    who: String,
    #[source]
    source: nix::Error,
}

impl Account {
    /// The account named `name`.
    pub fn by_name(name: &str) -> Result<Account, UserRefusal> {
        match User::from_name(name) {
            Ok(Some(u)) => Ok(Account { name: u.name, uid: u.uid, gid: u.gid }),
            _ => Err(UserRefusal::Unknown(name.to_string())),
        }
    }
}

/// The gid of group `name`.
pub fn group_id(name: &str) -> Option<Gid> {
    Group::from_name(name).ok().flatten().map(|g| g.gid)
}

/// Runs `f` with effective uid `uid` and effective gid `gid`, then goes back to the identity the
/// helper had (root when setuid).
pub fn acting_as<T>(uid: Uid, gid: Gid, f: impl FnOnce() -> T) -> Result<T, SwitchError> {
    let (euid, egid) = (unistd::geteuid(), unistd::getegid());
    let who = |e| SwitchError { who: format!("uid {uid} gid {gid}"), source: e };
    if euid == uid && egid == gid {
        return Ok(f());
    }
    unistd::setegid(gid).map_err(who)?;
    if let Err(e) = unistd::seteuid(uid) {
        let _ = unistd::setegid(egid);
        return Err(who(e));
    }
    let out = f();
    // Back to root first: only root may set the effective gid again.
    unistd::seteuid(euid).map_err(who)?;
    unistd::setegid(egid).map_err(who)?;
    Ok(out)
}

/// Becomes `account` for good: its groups, its gid, its uid (real, effective and saved), and
/// checks that root cannot be regained.
pub fn become_user(account: &Account) -> Result<(), SwitchError> {
    let who = |e| SwitchError { who: account.name.clone(), source: e };
    if unistd::geteuid().is_root() {
        let name = std::ffi::CString::new(account.name.as_bytes()).map_err(|_| who(nix::Error::EINVAL))?;
        unistd::initgroups(&name, account.gid).map_err(who)?;
    }
    unistd::setresgid(account.gid, account.gid, account.gid).map_err(who)?;
    unistd::setresuid(account.uid, account.uid, account.uid).map_err(who)?;
    if !account.uid.is_root() && unistd::setuid(Uid::from_raw(0)).is_ok() {
        return Err(who(nix::Error::EPERM));
    }
    Ok(())
}

/// The NodeManager: the helper's real user, and the group the configuration names.
pub fn node_manager(nm_gid: Gid) -> (Uid, Gid) {
    (unistd::getuid(), nm_gid)
}
