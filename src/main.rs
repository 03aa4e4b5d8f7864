//! The `hrflow` binary: parse the command line, call the library, map the
//! result to an exit code.

use std::process::ExitCode;

use clap::Parser;

/// mimalloc instead of the system allocator: normalization and resolution
/// make tens of millions of small allocations at a million records, and
/// glibc's allocator spends much of that time consolidating a fragmented
/// heap.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = hrflow::cli::Cli::parse();
    match hrflow::commands::dispatch(cli.command) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}
