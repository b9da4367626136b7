//! The `flippack` command line: parses arguments, calls the library, prints
//! what happened and picks the exit code.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use flippack::diagnostic::Style;
use flippack::{report, BuildOptions, Diagnostics, Error, LoadOptions};

#[derive(Parser)]
#[command(
    name = "flippack",
    version,
    about = "Static sites for flipped professional-learning resource packs"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into a folder of static files
    #[command(after_help = "Example:\n  flippack build --root my-site --out /var/www/pd")]
    Build {
        /// The site's folder (holding content/ and site.yaml)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site [default: ROOT/public]
        #[arg(long)]
        out: Option<PathBuf>,
        /// Include packs and pathways marked `draft: true`
        #[arg(long)]
        drafts: bool,
    },
    /// Print every pack's self-study, workshop and credit hours
    #[command(after_help = "Example:\n  flippack hours --format csv > hours.csv")]
    Hours {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long, value_enum, default_value_t = HoursFormat::Table)]
        format: HoursFormat,
        #[arg(long)]
        drafts: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum HoursFormat {
    Table,
    Csv,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build { root, out, drafts } => build(BuildOptions { root, out, drafts }),
        Command::Hours {
            root,
            format,
            drafts,
        } => hours(root, format, drafts),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            report_error(&err);
            ExitCode::FAILURE
        }
    }
}

fn build(options: BuildOptions) -> Result<(), Error> {
    let report = flippack::build(&options)?;
    print_diagnostics(&report.warnings);
    println!(
        "Built {} packs, {} pathways and {} pages into {} in {} ms",
        report.packs,
        report.pathways,
        report.pages,
        report.out.display(),
        report.elapsed.as_millis()
    );
    Ok(())
}

fn hours(root: PathBuf, format: HoursFormat, drafts: bool) -> Result<(), Error> {
    let loaded = flippack::load_site(&root, LoadOptions { drafts }).map_err(Error::Content)?;
    print_diagnostics(&loaded.warnings);
    let rows = report::hours_rows(&loaded.site);
    let text = match format {
        HoursFormat::Table => report::to_table(&rows),
        HoursFormat::Csv => report::to_csv(&rows),
        HoursFormat::Json => report::to_json(&rows),
    };
    let _ = std::io::stdout().write_all(text.as_bytes());
    Ok(())
}

fn stderr_style() -> Style {
    if std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
    {
        Style::colored()
    } else {
        Style::plain()
    }
}

fn print_diagnostics(diagnostics: &Diagnostics) {
    if diagnostics.is_empty() {
        return;
    }
    let style = stderr_style();
    let mut err = std::io::stderr().lock();
    for d in diagnostics.iter() {
        let _ = writeln!(err, "{}", d.render(&style));
    }
}

fn report_error(error: &Error) {
    match error {
        Error::Content(diagnostics) => {
            print_diagnostics(diagnostics);
            eprintln!("{}; nothing was written", diagnostics.summary());
        }
        other => {
            let style = stderr_style();
            eprintln!(
                "{}: {other}",
                if style.error.is_empty() {
                    "error".to_string()
                } else {
                    format!("{}error\x1b[0m", style.error)
                }
            );
        }
    }
}
