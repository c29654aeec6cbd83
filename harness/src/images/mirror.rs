//! The Debian mirror the host's apt uses, so images install packages from the same place.

use std::fs;

const FALLBACK: &str = "http://deb.debian.org/debian";

/// The first plain-HTTP Debian mirror in the host's apt sources (deb822 `.sources` files or
/// `sources.list`), else `http://deb.debian.org/debian`. Security mirrors are skipped.
pub fn debian_mirror() -> String {
    let mut texts = Vec::new();
    if let Ok(dir) = fs::read_dir("/etc/apt/sources.list.d") {
        let mut paths: Vec<_> = dir.flatten().map(|e| e.path()).collect();
        paths.sort();
        for p in paths {
            if p.extension().is_some_and(|e| e == "sources" || e == "list") {
                texts.extend(fs::read_to_string(p).ok());
            }
        }
    }
    texts.extend(fs::read_to_string("/etc/apt/sources.list").ok());
    texts.iter().find_map(|t| mirror_in(t)).unwrap_or_else(|| FALLBACK.to_string())
}

/// The first Debian (non-security) HTTP mirror named in one apt sources file.
pub fn mirror_in(text: &str) -> Option<String> {
    let usable = |uri: &str| uri.starts_with("http://") && !uri.contains("security") && uri.contains("debian");
    for line in text.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("URIs:") {
            if let Some(uri) = rest.split_whitespace().find(|u| usable(u)) {
                return Some(uri.trim_end_matches('/').to_string());
            }
        }
        if let Some(rest) = line.strip_prefix("deb ") {
            if let Some(uri) = rest.split_whitespace().find(|u| !u.starts_with('[') && u.contains("://")) {
                if usable(uri) {
                    return Some(uri.trim_end_matches('/').to_string());
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_deb822_and_one_line_sources() {
        let deb822 =
            "Types: deb\nURIs: http://mirror.example/debian\nSuites: bookworm\n\nTypes: deb\nURIs: http://mirror.example/debian-security\n";
        assert_eq!(mirror_in(deb822).as_deref(), Some("http://mirror.example/debian"));
        let list = "# comment\ndeb [arch=amd64] http://ftp.example/debian/ bookworm main\n";
        assert_eq!(mirror_in(list).as_deref(), Some("http://ftp.example/debian"));
        assert_eq!(mirror_in("deb https://secure.example/debian bookworm main"), None);
    }
}
