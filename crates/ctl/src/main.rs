//! `huiyictl`: see the library docs (crates/ctl/src/lib.rs) for commands, output and exit codes.

fn main() -> std::process::ExitCode {
    huiyi_ctl::main_with_args(std::env::args_os())
}
