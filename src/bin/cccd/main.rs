//! `cccd`: read and verify Vietnamese ID cards and eMRTDs from the command line.
//!
//! One module per concern: [`args`] (the command line), [`read`], [`verify`], [`trust`] and
//! [`sim`] (the commands), [`output`] (JSON with its schema, and the human summary).

use std::process::ExitCode;

use clap::Parser;

/// `println!` that ends the program quietly when stdout is closed (`cccd trust list | head`)
/// instead of panicking.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if writeln!(std::io::stdout(), $($arg)*).is_err() {
            std::process::exit(0);
        }
    }};
}

mod args;
mod output;
mod read;
#[cfg(feature = "serve")]
mod serve;
mod sim;
mod trust;
mod verify;

use args::{Cli, Command};

/// Exit codes, listed in `--help`: the library's ([`cccd::report::exit`]), one meaning for the
/// CLI, the C ABI and the service.
pub(crate) mod exit {
    #![allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    use cccd::report::exit;
    /// A failure: the card, the reader, a file, the trust sources.
    pub const FAILURE: u8 = exit::FAILURE as u8;
    /// Bad arguments.
    pub const USAGE: u8 = exit::USAGE as u8;
    /// The card refused the access key.
    pub const WRONG_KEY: u8 = exit::WRONG_KEY as u8;
    /// The document is not proven genuine (`verify`: its data is not proven authentic).
    pub const NOT_GENUINE: u8 = exit::NOT_GENUINE as u8;
}

/// A failure with its exit code.
#[derive(Debug)]
pub(crate) struct Failure {
    pub code: u8,
    pub message: String,
}

impl Failure {
    pub fn usage(message: impl Into<String>) -> Self {
        Self {
            code: exit::USAGE,
            message: message.into(),
        }
    }
}

impl<E: std::fmt::Display> From<E> for Failure {
    fn from(e: E) -> Self {
        Failure {
            code: exit::FAILURE,
            message: e.to_string(),
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Readers => read::readers(),
        Command::Read(args) => read::read(*args),
        Command::Verify(args) => verify::verify(args),
        Command::Trust { command } => trust::trust(command),
        Command::Sim { command } => sim::sim(command),
        #[cfg(feature = "serve")]
        Command::Serve(args) => serve::serve(*args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("cccd: {}", f.message.replace('\n', " "));
            ExitCode::from(f.code)
        }
    }
}
