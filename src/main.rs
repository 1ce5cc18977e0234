//! The `zhibiao` binary: a thin shell around [`zhibiao::cli::main_with_args`].

fn main() -> std::process::ExitCode {
    zhibiao::cli::main_with_args(std::env::args_os())
}
