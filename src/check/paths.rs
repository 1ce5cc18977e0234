//! Import paths: joined to the importing file's folder and normalized
//! (`a/./b` → `a/b`, `a/x/../b` → `a/b`), so that `import "../common.zb"`
//! finds the source named `rules/common.zb`.

/// Normalizes a `/`-separated path lexically (no file system access).
pub fn normalize(path: &str) -> String {
    let path = path.replace('\\', "/");
    let absolute = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if matches!(parts.last(), Some(p) if *p != "..") {
                    parts.pop();
                } else if !absolute {
                    parts.push("..");
                }
            }
            p => parts.push(p),
        }
    }
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

/// The folder part of a source name (`rules/a.zb` → `rules`, `a.zb` → ``).
pub fn parent(name: &str) -> &str {
    let name = name.trim_end_matches('/');
    match name.rfind(['/', '\\']) {
        Some(i) => &name[..i],
        None => "",
    }
}

/// The prefix that names a file shipped with zhibiao in an import:
/// `import "zhibiao:common.zb"` imports the built-in `rules/common.zb` from
/// any folder.
pub const BUILTIN_PREFIX: &str = "zhibiao:";

/// Resolves `import "target"` written in the source named `importer`.
/// `zhibiao:NAME` resolves to the shipped file `rules/NAME`, wherever the
/// importer is.
pub fn resolve(importer: &str, target: &str) -> String {
    if let Some(name) = target.strip_prefix(BUILTIN_PREFIX) {
        return normalize(&format!("rules/{name}"));
    }
    if target.starts_with('/') {
        return normalize(target);
    }
    let dir = parent(importer);
    if dir.is_empty() {
        normalize(target)
    } else {
        normalize(&format!("{dir}/{target}"))
    }
}

/// The file name without folder and extension (`rules/jiangsu.zb` → `jiangsu`).
pub fn stem(name: &str) -> &str {
    let file = match name.rfind(['/', '\\']) {
        Some(i) => &name[i + 1..],
        None => name,
    };
    match file.rfind('.') {
        Some(i) if i > 0 => &file[..i],
        _ => file,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_dots() {
        assert_eq!(normalize("a/./b"), "a/b");
        assert_eq!(normalize("a/x/../b"), "a/b");
        assert_eq!(normalize("./rules//common.zb"), "rules/common.zb");
        assert_eq!(normalize("../x.zb"), "../x.zb");
        assert_eq!(normalize("/r/../x.zb"), "/x.zb");
    }

    #[test]
    fn resolves_relative_to_the_importer() {
        assert_eq!(resolve("rules/jiangsu.zb", "common.zb"), "rules/common.zb");
        assert_eq!(resolve("rules/p/js.zb", "../common.zb"), "rules/common.zb");
        assert_eq!(resolve("js.zb", "./common.zb"), "common.zb");
        assert_eq!(stem("rules/jiangsu.zb"), "jiangsu");
        assert_eq!(stem("common"), "common");
    }
}
