use clap::Parser;
use sandbox::{faults::parse_spec, FaultRule, Options, SeedOptions, DEMO_ADMIN};
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

/// A Mixpanel-compatible App API server with demo data, for the console.
#[derive(Parser, Debug)]
#[command(version)]
struct Cli {
    /// Address to listen on (loopback by default: the sandbox has no real security).
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// Port (0 picks a free one).
    #[arg(long, default_value_t = 8787)]
    port: u16,
    /// Service accounts in the main demo organisation (up to 10,000 or more).
    #[arg(long, default_value_t = SeedOptions::default().accounts)]
    accounts: usize,
    /// Projects in the main demo organisation.
    #[arg(long, default_value_t = SeedOptions::default().projects)]
    projects: usize,
    /// Seed for the deterministic demo data.
    #[arg(long, default_value_t = SeedOptions::default().seed)]
    seed: u64,
    /// A built console to serve on the same origin (scripts/build.sh's dist/).
    #[arg(long)]
    dist: Option<PathBuf>,
    /// Keep state in this JSON file: loaded at start when present, saved on change.
    #[arg(long)]
    state_file: Option<PathBuf>,
    /// Latency added to every API request, in milliseconds.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// A fault rule, `[METHOD ]PATH=KIND[:N][xTIMES]` (repeatable), e.g. `GET /me=500`.
    #[arg(long = "fault")]
    faults: Vec<String>,
    /// Tell the console (via config.json) to lock after this many idle seconds.
    #[arg(long)]
    idle_lock_seconds: Option<u64>,
    /// Methods `remove-from-project` answers: post (public page), delete
    /// (generated spec) or both.
    #[arg(long, default_value = "both", value_parser = sandbox::switches::RemoveMethod::parse)]
    remove_method: sandbox::switches::RemoveMethod,
    /// Create ignores `expires` (the account never expires), as the generated spec allows.
    #[arg(long)]
    create_ignores_expires: bool,
    /// CORS as Mixpanel's hosts answer (`*`, no exposed headers) instead of reflecting the origin.
    #[arg(long)]
    mixpanel_cors: bool,
    /// `/me` answers after this many seconds.
    #[arg(long, default_value_t = 0)]
    me_delay_seconds: u64,
    /// Listings show custom (Enterprise) project roles for some members.
    #[arg(long)]
    unknown_roles: bool,
    /// A policy for the console's config.json, as JSON, e.g. '{"require_expiry": true}'.
    #[arg(long)]
    policy: Option<String>,
}

#[tokio::main]
async fn main() {
    let cli = Cli::parse();
    let mut faults: Vec<FaultRule> = match cli.faults.iter().map(|s| parse_spec(s)).collect() {
        Ok(rules) => rules,
        Err(e) => {
            eprintln!("sandbox: {e}");
            std::process::exit(2);
        }
    };
    if cli.latency_ms > 0 {
        faults.push(FaultRule { latency_ms: cli.latency_ms, ..FaultRule::default() });
    }
    let options = Options {
        addr: SocketAddr::new(cli.host, cli.port),
        seed: SeedOptions { seed: cli.seed, accounts: cli.accounts, projects: cli.projects },
        dist: cli.dist,
        state_file: cli.state_file,
        faults,
        idle_lock_seconds: cli.idle_lock_seconds,
        switches: sandbox::switches::Switches {
            remove_method: cli.remove_method,
            create_ignores_expires: cli.create_ignores_expires,
            mixpanel_cors: cli.mixpanel_cors,
            me_delay_seconds: cli.me_delay_seconds,
            unknown_roles: cli.unknown_roles,
        },
        console_api: None,
        policy: match cli.policy.as_deref().map(serde_json::from_str) {
            None => None,
            Some(Ok(policy)) => Some(policy),
            Some(Err(e)) => {
                eprintln!("sandbox: --policy is not JSON: {e}");
                std::process::exit(2);
            }
        },
    };
    let running = match sandbox::start(options).await {
        Ok(running) => running,
        Err(e) => {
            eprintln!("sandbox: could not start: {e}");
            std::process::exit(1);
        }
    };
    println!("Sandbox API:  {}", running.api_url());
    println!("Console:      {}/", running.url());
    println!("Demo admin:   username {}", DEMO_ADMIN.username);
    println!("              secret   {}", DEMO_ADMIN.secret);
    println!("Other demo credentials: {}/__sandbox/credentials", running.url());
    let _ = tokio::signal::ctrl_c().await;
}
