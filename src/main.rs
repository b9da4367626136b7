//! The `flippack` command line: parses arguments, calls the library, prints
//! what happened and picks the exit code.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod docs;
mod progress;

use clap::{Parser, Subcommand, ValueEnum};

use flippack::check::CheckOptions;
use flippack::diagnostic::Style;
use flippack::{report, scaffold, BuildOptions, Diagnostics, Error, LoadOptions};

#[derive(Parser)]
#[command(
    name = "flippack",
    version,
    about = "Static sites for flipped professional-learning resource packs",
    after_help = "Example:\n  flippack init my-site && cd my-site && flippack build\n\nThe reference documents come with flippack: `flippack docs` lists them."
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
        /// Print only problems: no progress display and no summary line
        #[arg(long, short)]
        quiet: bool,
        /// Replace the output folder even if flippack did not write it,
        /// deleting everything in it but a .git (never a file, nor the site)
        #[arg(long)]
        force: bool,
        /// The attendance codes file [default: $FLIPPACK_CODES, or ROOT/attendance.yaml if present]
        #[arg(long, value_name = "FILE")]
        codes: Option<PathBuf>,
    },
    /// Print every pack's self-study, workshop and credit hours
    #[command(
        after_help = "Examples:\n  flippack hours\n  flippack hours --format csv --out hours.csv"
    )]
    Hours {
        /// The site's folder (holding content/ and site.yaml)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// A table for people, or CSV or JSON for other tools
        #[arg(long, value_enum, default_value_t = HoursFormat::Table)]
        format: HoursFormat,
        /// Include packs marked `draft: true`
        #[arg(long)]
        drafts: bool,
        /// Write the report to FILE instead of printing it
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Create a new site with an example pack, ready to build
    #[command(
        after_help = "Examples:\n  flippack init my-site\n  flippack init . --force    # add the missing files to this folder"
    )]
    Init {
        /// The folder to create; the current folder by default
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Also write into a folder that is not empty, adding only the
        /// files that are missing (an existing file is never overwritten)
        #[arg(long)]
        force: bool,
        /// The site's name, in every page header [default: made from the folder's name]
        #[arg(long)]
        title: Option<String>,
    },
    /// Add a pack or a pathway to the site from a template
    #[command(
        after_help = "Examples:\n  flippack new pack wait-time --title \"Questioning and wait time\"\n  flippack new pathway year-of-growth"
    )]
    New {
        #[command(subcommand)]
        what: NewCommand,
    },
    /// Check the site for errors, broken links and accessibility problems, without writing anything
    #[command(
        after_help = "Examples:\n  flippack check\n  flippack check --strict --drafts\n  flippack check --format json > findings.json\n\nExternal web addresses are checked for their form only; nothing is fetched."
    )]
    Check {
        /// The site's folder (holding content/ and site.yaml)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Also check packs and pathways marked `draft: true`
        #[arg(long)]
        drafts: bool,
        /// Fail on warnings too, not only on errors
        #[arg(long)]
        strict: bool,
        /// Text for people, or JSON (an array of findings) for other tools
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
        /// The attendance codes file [default: $FLIPPACK_CODES, or ROOT/attendance.yaml if present]
        #[arg(long, value_name = "FILE")]
        codes: Option<PathBuf>,
    },
    /// Build the site into memory, serve it, and rebuild and reload pages on every save
    #[command(
        after_help = "Examples:\n  flippack serve --open\n  flippack serve --bind 0.0.0.0 --port 8080   # show a colleague on your network"
    )]
    Serve(ServeArgs),
    /// Print a reference document (the content format, check's findings, theming, ...)
    #[command(
        after_help = "Examples:\n  flippack docs                    # list the documents\n  flippack docs content-format | less\n  flippack docs check > check.md"
    )]
    Docs {
        /// The document; without one, the list of documents
        #[arg(value_enum)]
        topic: Option<docs::Topic>,
    },
    /// Export packs, a pathway or the site for an LMS: IMS Common Cartridge 1.1 or SCORM 1.2
    #[command(
        after_help = "Examples:\n  flippack export --pack questioning-wait-time --format cc\n  flippack export --pathway year-of-growth --format scorm12 --out lms/\n  flippack export --all --format cc --force    # replace the last export\n\nImporting into Canvas, Moodle and Schoology: `flippack docs lms`."
    )]
    Export(ExportArgs),
    /// Check the records teachers download from My learning against the attendance codes
    #[command(
        after_help = "Examples:\n  flippack verify records/ --codes attendance.yaml --csv verified.csv\n  flippack verify ana-lopez.json kim-nguyen.json\n\nEach pack of each record is one row: verified, or the reason it is not.\nExits with status 1 when any row is not verified."
    )]
    Verify {
        /// Record files downloaded from My learning, or folders of them
        #[arg(required = true, value_name = "RECORDS")]
        records: Vec<PathBuf>,
        /// The site's folder (holding content/ and site.yaml)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The attendance codes file [default: $FLIPPACK_CODES, or ROOT/attendance.yaml if present]
        #[arg(long, value_name = "FILE")]
        codes: Option<PathBuf>,
        /// Also write the rows as CSV to OUT, for the PD office's records
        #[arg(long, value_name = "OUT")]
        csv: Option<PathBuf>,
        /// Count packs marked `draft: true`
        #[arg(long)]
        drafts: bool,
    },
}

/// `flippack export`: its own block, beside the others.
#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["pack", "pathway", "all"])))]
struct ExportArgs {
    /// The site's folder (holding content/ and site.yaml)
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Export one pack, by its slug
    #[arg(long, value_name = "SLUG")]
    pack: Option<String>,
    /// Export a pathway, one module per step, by its slug
    #[arg(long, value_name = "SLUG")]
    pathway: Option<String>,
    /// Export every pack of the site
    #[arg(long)]
    all: bool,
    /// IMS Common Cartridge 1.1 (.imscc) or SCORM 1.2 (.zip)
    #[arg(long, value_enum)]
    format: ExportFormat,
    /// The folder to write the package into [default: ROOT/exports]
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Replace a package an earlier export wrote at the same path
    #[arg(long)]
    force: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum ExportFormat {
    /// IMS Common Cartridge 1.1, for Canvas, Moodle, Schoology, Blackboard
    Cc,
    /// SCORM 1.2, with the self-check score and completion reported
    Scorm12,
}

fn export(args: ExportArgs) -> Result<(), Error> {
    use flippack::export::{ExportOptions, Format, Selection};
    let selection = match (args.pack, args.pathway) {
        (Some(slug), _) => Selection::Pack(slug),
        (None, Some(slug)) => Selection::Pathway(slug),
        (None, None) => Selection::All,
    };
    let report = flippack::export::export(&ExportOptions {
        root: args.root,
        selection,
        format: match args.format {
            ExportFormat::Cc => Format::CommonCartridge,
            ExportFormat::Scorm12 => Format::Scorm12,
        },
        out: args.out,
        force: args.force,
    })
    .map_err(|err| match err {
        // Printed as every other command prints the site's problems.
        flippack::export::ExportError::Content(diagnostics) => Error::Content(diagnostics),
        other => Error::Export(other),
    })?;
    print_diagnostics(&report.warnings);
    print_out(&format!(
        "Exported {} into {} ({} files, {} KB)\n",
        counted(report.packs, "pack"),
        report.path.display(),
        report.files,
        report.bytes.div_ceil(1024)
    ))
}

#[derive(Subcommand)]
enum NewCommand {
    /// Add content/packs/SLUG/pack.md: a draft with every key present and explained
    #[command(
        after_help = "Example:\n  flippack new pack wait-time --title \"Questioning and wait time\""
    )]
    Pack {
        /// The pack's folder name: lower-case letters, digits and hyphens
        slug: String,
        /// The pack's title [default: made from SLUG]
        #[arg(long)]
        title: Option<String>,
        /// The site's folder (holding content/ and site.yaml)
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Add content/pathways/SLUG.md: a draft listing the site's packs, to reorder and trim
    #[command(after_help = "Example:\n  flippack new pathway year-of-growth")]
    Pathway {
        /// The pathway's file name without .md: lower-case letters, digits and hyphens
        slug: String,
        /// The site's folder (holding content/ and site.yaml)
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum CheckFormat {
    Text,
    Json,
}

#[derive(clap::Args)]
struct ServeArgs {
    /// The site's folder (holding content/ and site.yaml)
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// The address to listen on; 0.0.0.0 makes the site reachable from other computers
    #[arg(long, default_value = "127.0.0.1")]
    bind: std::net::IpAddr,
    /// The port [default: 1111, or the next free one]; 0 picks any free port
    #[arg(long)]
    port: Option<u16>,
    /// Include packs and pathways marked `draft: true`
    #[arg(long)]
    drafts: bool,
    /// Open the site in the default browser
    #[arg(long)]
    open: bool,
    /// Do not add the live-reload script to pages
    #[arg(long)]
    no_reload: bool,
    /// Look for changes every 300 ms instead of using the system's file events (network drives, WSL, some containers)
    #[arg(long)]
    poll: bool,
    /// The attendance codes file [default: $FLIPPACK_CODES, or ROOT/attendance.yaml if present]
    #[arg(long, value_name = "FILE")]
    codes: Option<PathBuf>,
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
        Command::Build {
            root,
            out,
            drafts,
            quiet,
            force,
            codes,
        } => build(
            BuildOptions {
                root,
                out,
                drafts,
                force,
                codes,
            },
            quiet,
        ),
        Command::Hours {
            root,
            format,
            drafts,
            out,
        } => hours(root, format, drafts, out.as_deref()),
        Command::Init { dir, force, title } => init(&dir, force, title.as_deref()),
        Command::New { what } => new(what),
        Command::Check {
            root,
            drafts,
            strict,
            format,
            codes,
        } => {
            return check(
                CheckOptions {
                    root,
                    drafts,
                    codes,
                },
                strict,
                format,
            )
        }
        Command::Serve(args) => flippack::serve::serve(&flippack::serve::ServeOptions {
            root: args.root,
            bind: args.bind,
            port: args.port,
            drafts: args.drafts,
            open: args.open,
            live_reload: !args.no_reload,
            poll: args.poll,
            style: stderr_style(),
            codes: args.codes,
        })
        .map_err(Error::from),
        Command::Export(args) => export(args),
        Command::Docs { topic } => print_out(&topic.map_or_else(docs::list, |t| t.text().into())),
        Command::Verify {
            records,
            root,
            codes,
            csv,
            drafts,
        } => {
            return verify(
                flippack::verify::VerifyOptions {
                    root,
                    codes,
                    records,
                    drafts,
                },
                csv.as_deref(),
            )
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            report_error(&err);
            ExitCode::FAILURE
        }
    }
}

fn build(options: BuildOptions, quiet: bool) -> Result<(), Error> {
    let progress = progress::BuildProgress::start(!quiet && std::io::stderr().is_terminal());
    let result = flippack::build_with_progress(&options, &progress);
    progress.finish();
    let report = result?;
    print_diagnostics(&report.warnings);
    if !report.warnings.is_empty() {
        eprintln!("{}", report.warnings.summary());
    }
    if quiet {
        return Ok(());
    }
    print_out(&format!(
        "Built {}, {} and {} into {} in {} ms\n",
        counted(report.packs, "pack"),
        counted(report.pathways, "pathway"),
        counted(report.pages, "page"),
        report.out.display(),
        report.elapsed.as_millis()
    ))
}

fn hours(
    root: PathBuf,
    format: HoursFormat,
    drafts: bool,
    out: Option<&Path>,
) -> Result<(), Error> {
    let loaded = flippack::load_site(&root, LoadOptions { drafts }).map_err(Error::Content)?;
    print_diagnostics(&loaded.warnings);
    let rows = report::hours_rows(&loaded.site);
    let text = match format {
        HoursFormat::Table => report::to_table(&rows),
        HoursFormat::Csv => report::to_csv(&rows),
        HoursFormat::Json => report::to_json(&rows),
    };
    match out {
        Some(path) => {
            flippack::output::write_atomically(path, text.as_bytes())?;
            print_out(&format!(
                "Wrote the hours of {} to {}\n",
                counted(rows.len(), "pack"),
                path.display()
            ))
        }
        None => print_out(&text),
    }
}

/// Prints the table, writes the CSV, and fails when any row is not verified.
fn verify(options: flippack::verify::VerifyOptions, csv: Option<&Path>) -> ExitCode {
    let result = flippack::verify::verify(&options).and_then(|report| {
        print_out(&report.to_table())?;
        if let Some(path) = csv {
            flippack::output::write_atomically(path, report.to_csv().as_bytes())?;
            eprintln!("Wrote {} rows to {}", report.rows.len(), path.display());
        }
        Ok(report)
    });
    match result {
        Ok(report) => {
            eprintln!("{}", report.summary());
            if report.all_verified() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(err) => {
            report_error(&err);
            ExitCode::FAILURE
        }
    }
}

fn init(dir: &Path, force: bool, title: Option<&str>) -> Result<(), Error> {
    let report = scaffold::init(dir, force, title)?;
    print_out(&report.describe(dir))
}

fn new(what: NewCommand) -> Result<(), Error> {
    let (root, path) = match what {
        NewCommand::Pack { slug, title, root } => {
            let path = scaffold::new_pack(&root, &slug, title.as_deref())?;
            (root, path)
        }
        NewCommand::Pathway { slug, root } => {
            let path = scaffold::new_pathway(&root, &slug)?;
            (root, path)
        }
    };
    print_out(&format!(
        "Created {}: a draft, with every key explained. Fill it in, check it with \
         `flippack check --drafts`, then remove `draft: true` to publish it.\n",
        flippack::diagnostic::display_path(&root, &path)
    ))
}

fn check(options: CheckOptions, strict: bool, format: CheckFormat) -> ExitCode {
    let report = flippack::check::check(&options);
    match format {
        CheckFormat::Json => {
            let json = serde_json::to_string_pretty(&report.findings.0).unwrap_or_default();
            if let Err(err) = print_out(&format!("{json}\n")) {
                report_error(&err);
                return ExitCode::FAILURE;
            }
        }
        CheckFormat::Text => print_diagnostics(&report.findings),
    }
    eprintln!("{}", report.summary(strict));
    if report.passes(strict) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Writes `text` to standard output whole, or says why it could not.
/// `println!` would panic on a closed pipe or a full disk, and ignoring
/// the error would exit 0: a script must know its report was not written.
fn print_out(text: &str) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(Error::Stdout)
}

/// "1 pack", "2 packs": a count with its noun, for the summary lines.
fn counted(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
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
    diagnostics.eprint(&stderr_style());
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
