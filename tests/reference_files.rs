//! Every submitter in `references/` is a valid service file, and the programs it runs from `/team` on the
//! edge node are readable and executable by others there (commands run as alice, bob or `yarnsec`).
//! No cluster needed.

use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;

use yarnsec_submitter::service_file::ServiceFile;

#[test]
fn every_reference_service_file_is_valid_and_its_team_directory_usable() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("references");
    let mut seen = 0;
    for entry in std::fs::read_dir(&root).unwrap() {
        let path = entry.unwrap().path().join("service.toml");
        if !path.exists() {
            continue;
        }
        seen += 1;
        let file = ServiceFile::read(&path).unwrap_or_else(|e| panic!("{e}"));
        for argv in [&file.submit_command, &file.long_lived_command, &file.command] {
            for (i, arg) in argv.iter().enumerate() {
                let Some(name) = arg.strip_prefix("/team/") else { continue };
                let local = file.mount_dir().join(name);
                let mode = std::fs::metadata(&local).unwrap_or_else(|e| panic!("{}: {e}", local.display())).permissions().mode();
                // Others may read it; the program the command starts, run it.
                let need = if i == 0 { 0o005 } else { 0o004 };
                assert_eq!(
                    mode & need,
                    need,
                    "{} has mode {mode:o}: others must read it{}",
                    local.display(),
                    if i == 0 { " and run it" } else { "" }
                );
            }
        }
    }
    assert!(seen >= 5, "only {seen} reference service files under {}", root.display());
}
