//! Debian's nginx, started unprivileged-style as a child of the test on a
//! loopback port, with the deploy kit's own files (deploy/nginx/) and only
//! `upstreams.conf` replaced so the three regions lead to the sandbox.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Nginx {
    child: Child,
    pub dir: PathBuf,
    pub port: u16,
    https: bool,
}

/// The test's own certificate for 127.0.0.1, made once per test process by
/// Debian's openssl:
/// its files and the base64 SHA-256 of its public key, which the browser is
/// told to trust (`--ignore-certificate-errors-spki-list`) instead of
/// ignoring every certificate error: the page then runs as it would behind a
/// certificate the machine trusts, and nothing else is let through.
pub struct TestCertificate {
    pub cert: PathBuf,
    pub key: PathBuf,
    pub spki_sha256: String,
}

pub fn test_certificate() -> &'static TestCertificate {
    static MADE: std::sync::OnceLock<TestCertificate> = std::sync::OnceLock::new();
    MADE.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("sa-test-certificate-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("certificate folder");
        let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
        let status = Command::new("openssl")
            .args(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2"])
            .args(["-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout"])
            .arg(&key)
            .arg("-out")
            .arg(&cert)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("openssl runs (installed by scripts/setup.sh)");
        assert!(status.success(), "openssl made no certificate");
        let spki_sha256 = spki_sha256(&cert);
        TestCertificate { cert, key, spki_sha256 }
    })
}

/// `openssl x509 -pubkey | openssl pkey -pubin -outform der | sha256 | base64`.
fn spki_sha256(cert: &Path) -> String {
    let script = "openssl x509 -in \"$1\" -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | openssl base64 -A";
    let out = Command::new("sh")
        .args(["-c", script, "sh"])
        .arg(cert)
        .stderr(Stdio::null())
        .output()
        .expect("openssl runs (installed by scripts/setup.sh)");
    let hash = String::from_utf8(out.stdout).expect("base64 is ASCII").trim().to_string();
    assert!(out.status.success() && hash.len() == 44, "no SPKI hash of the test certificate: {hash:?}");
    hash
}

fn kit_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../deploy/nginx")
}

/// The kit's upstreams.conf with every region pointed at `upstream`
/// (`host:port`, plain HTTP): the one file a test changes.
pub fn test_upstreams(upstream: &str) -> String {
    let mut text = String::from("# Test copy: every region leads to the sandbox over plain HTTP.\n");
    for region in ["us", "eu", "in"] {
        text.push_str(&format!("upstream mixpanel_{region} {{ server {upstream}; keepalive 16; }}\n"));
        text.push_str(&format!("map $host $mixpanel_{region}_host {{ default {upstream}; }}\n"));
    }
    text.push_str("map $host $mixpanel_scheme { default http; }\n");
    text
}

impl Nginx {
    /// Serves `root` (a copy of dist/) through the kit, proxying to `upstream`.
    /// With `https`, it listens with TLS and HTTP/2 (`listen … ssl http2`,
    /// nginx 1.22's spelling, as deploy/nginx/site.conf).
    pub fn start(root: &Path, upstream: &str, https: bool) -> Nginx {
        let port = crate::pool::free_port();
        let dir = std::env::temp_dir().join(format!("sa-nginx-{port}"));
        let _ = std::fs::remove_dir_all(&dir);
        let kit = dir.join("mixpanel-console");
        std::fs::create_dir_all(&kit).expect("nginx folder");
        for temp in ["body", "proxy", "fastcgi", "uwsgi", "scgi"] {
            std::fs::create_dir_all(dir.join("tmp").join(temp)).expect("temp folder");
        }
        for entry in std::fs::read_dir(kit_dir()).expect("deploy/nginx exists") {
            let path = entry.expect("kit file").path();
            std::fs::copy(&path, kit.join(path.file_name().unwrap())).expect("kit file copied");
        }
        std::fs::write(kit.join("upstreams.conf"), test_upstreams(upstream)).expect("upstreams written");
        let listen = if https {
            let TestCertificate { cert, key, .. } = test_certificate();
            format!(
                "listen 127.0.0.1:{port} ssl http2;\n        ssl_certificate {};\n        ssl_certificate_key {};",
                cert.display(),
                key.display()
            )
        } else {
            format!("listen 127.0.0.1:{port};")
        };
        let d = dir.display();
        let conf = format!(
            r#"daemon off;
master_process off;
worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path {d}/tmp/body;
    proxy_temp_path {d}/tmp/proxy;
    fastcgi_temp_path {d}/tmp/fastcgi;
    uwsgi_temp_path {d}/tmp/uwsgi;
    scgi_temp_path {d}/tmp/scgi;
    include mixpanel-console/http.conf;
    include mixpanel-console/upstreams.conf;
    server {{
        {listen}
        root {root};
        access_log {d}/access.log mixpanel_console;
        include mixpanel-console/console.conf;
        include mixpanel-console/mixpanel-proxy.conf;
    }}
}}
"#,
            root = root.display()
        );
        std::fs::write(dir.join("nginx.conf"), conf).expect("nginx.conf written");
        let child = Command::new("nginx")
            .arg("-p")
            .arg(&dir)
            .arg("-c")
            .arg(dir.join("nginx.conf"))
            .arg("-e")
            .arg(dir.join("error.log"))
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("nginx starts (installed by scripts/setup.sh)");
        let mut nginx = Nginx { child, dir, port, https };
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = nginx.child.try_wait() {
                let log = std::fs::read_to_string(nginx.dir.join("error.log")).unwrap_or_default();
                panic!("nginx exited ({status}): {log}");
            }
            assert!(Instant::now() < deadline, "nginx did not listen on {port}");
            std::thread::sleep(Duration::from_millis(50));
        }
        nginx
    }

    pub fn url(&self) -> String {
        let scheme = if self.https { "https" } else { "http" };
        format!("{scheme}://127.0.0.1:{}", self.port)
    }

    pub fn access_log(&self) -> String {
        std::fs::read_to_string(self.dir.join("access.log")).unwrap_or_default()
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        // SA_KEEP_NGINX=1 keeps the logs and config for a look afterwards.
        if std::env::var_os("SA_KEEP_NGINX").is_none() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// A copy of the release build with a config.json that points each region
/// at its proxy path, as a platform team deploys it.
pub fn deployed_copy(dist: &Path, name: &str) -> PathBuf {
    let root = std::env::temp_dir().join(format!("sa-deployed-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).expect("deploy folder");
    for entry in std::fs::read_dir(dist).expect("dist exists") {
        let path = entry.expect("dist file").path();
        if path.is_file() {
            std::fs::copy(&path, root.join(path.file_name().unwrap())).expect("copied");
        }
    }
    let config = std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../deploy/config.json"))
        .expect("deploy/config.json");
    std::fs::write(root.join("config.json"), config).expect("config.json written");
    root
}
