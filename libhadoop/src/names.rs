//! User and group names by id, and a user's groups, from the system's account databases
//! (`getpwuid_r`, `getgrgid_r`, `getgrouplist` through `nix`: safe for the NodeManager's threads).

use nix::unistd::{getgrouplist, Gid, Group, Uid, User};
use std::ffi::CString;

/// The name of the user with `uid`, or why there is none.
pub fn user_name(uid: u32) -> Result<String, String> {
    match User::from_uid(Uid::from_raw(uid)) {
        Ok(Some(u)) => Ok(u.name),
        Ok(None) => Err(format!("no user has uid {uid}")),
        Err(e) => Err(format!("looking up uid {uid}: {e}")),
    }
}

/// The name of the group with `gid`, or why there is none.
pub fn group_name(gid: u32) -> Result<String, String> {
    match Group::from_gid(Gid::from_raw(gid)) {
        Ok(Some(g)) => Ok(g.name),
        Ok(None) => Err(format!("no group has gid {gid}")),
        Err(e) => Err(format!("looking up gid {gid}: {e}")),
    }
}

/// The names of `user`'s groups, primary first; none for a user without an account.
pub fn groups_of(user: &str) -> Vec<String> {
    let Ok(Some(account)) = User::from_name(user) else {
        return Vec::new();
    };
    let Ok(name) = CString::new(user) else {
        return Vec::new();
    };
    let mut gids = getgrouplist(&name, account.gid).unwrap_or_else(|_| vec![account.gid]);
    if let Some(at) = gids.iter().position(|g| *g == account.gid) {
        gids.remove(at);
    }
    gids.insert(0, account.gid);
    gids.into_iter().filter_map(|g| group_name(g.as_raw()).ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_and_nobody() {
        assert_eq!(user_name(0).as_deref(), Ok("root"));
        assert_eq!(group_name(0).as_deref(), Ok("root"));
        assert_eq!(groups_of("root").first().map(String::as_str), Some("root"));
        assert!(user_name(3_999_999_999).unwrap_err().contains("no user has uid"));
        assert!(groups_of("no-such-user-anywhere").is_empty());
        assert!(groups_of("nul\0inside").is_empty());
    }
}
