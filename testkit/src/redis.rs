//! A real Redis server for the tests of the shared store: Debian's `redis-server`, started
//! per test on a free loopback port with a private directory and no persistence, so that no
//! test sees another's keys. Installed by `scripts/install-redis.sh`.

use std::{
    fs::File,
    io::{Read, Write},
    net::TcpStream,
    path::PathBuf,
    process::{Child, Command},
    sync::atomic::{AtomicU32, Ordering},
    time::{Duration, Instant},
};

use anyhow::{Context, bail};

use crate::net::{free_port, is_port_clash};

/// A running `redis-server`, killed when dropped.
pub struct RedisServer {
    child: Option<Child>,
    port: u16,
    dir: PathBuf,
}

impl RedisServer {
    /// Starts a server on a free port (retrying only when another process took the port
    /// first); a failed start's error carries what redis-server said.
    pub fn start() -> anyhow::Result<Self> {
        static STARTED: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "real-estate-mcp-redis-{}-{}",
            std::process::id(),
            STARTED.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).context("creating the Redis test directory")?;
        let mut last = None;
        for _ in 0..5 {
            let mut server = Self {
                child: None,
                port: free_port()?,
                dir: dir.clone(),
            };
            match server.launch() {
                Ok(()) => return Ok(server),
                Err(error) if is_port_clash(&error) => last = Some(error),
                Err(error) => return Err(error),
            }
        }
        Err(last.unwrap_or_else(|| anyhow::anyhow!("redis-server did not start")))
    }

    /// `redis://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// Stops the server (as a crash or a network loss would look to its clients).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts it again on the same port, empty.
    pub fn restart(&mut self) -> anyhow::Result<()> {
        self.stop();
        self.launch()
    }

    /// Sends one command in Redis's inline form and returns the raw reply.
    pub fn command(&self, line: &str) -> anyhow::Result<String> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port))?;
        stream.set_read_timeout(Some(Duration::from_secs(2)))?;
        stream.write_all(format!("{line}\r\n").as_bytes())?;
        let mut reply = vec![0; 64 * 1024];
        let n = stream.read(&mut reply)?;
        Ok(String::from_utf8_lossy(&reply[..n]).into_owned())
    }

    /// What redis-server wrote to its log so far.
    fn log(&self) -> String {
        std::fs::read_to_string(self.log_path()).unwrap_or_default()
    }

    fn log_path(&self) -> PathBuf {
        self.dir.join("redis-server.log")
    }

    fn launch(&mut self) -> anyhow::Result<()> {
        let log = File::create(self.log_path()).context("creating the redis-server log")?;
        let child = Command::new("redis-server")
            .args(["--bind", "127.0.0.1", "--port", &self.port.to_string()])
            .args(["--save", "", "--appendonly", "no"])
            .arg("--dir")
            .arg(&self.dir)
            .stdout(log.try_clone().context("sharing the redis-server log")?)
            .stderr(log)
            .spawn()
            .context(
                "could not run redis-server: install it with `bash scripts/install-redis.sh` \
                 (Debian's redis-server package)",
            )?;
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if self.command("PING").is_ok_and(|r| r.starts_with("+PONG")) {
                return Ok(());
            }
            if let Some(child) = self.child.as_mut()
                && let Ok(Some(status)) = child.try_wait()
            {
                self.child = None;
                bail!(
                    "redis-server exited at start on port {} ({status}): {}",
                    self.port,
                    self.log()
                );
            }
            if Instant::now() > deadline {
                self.stop();
                bail!(
                    "redis-server did not answer on port {} within 10 s: {}",
                    self.port,
                    self.log()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
