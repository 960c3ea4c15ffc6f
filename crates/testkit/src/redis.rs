//! A real `redis-server` for team-mode tests: started on a free port of
//! 127.0.0.1 in a temporary directory, with persistence off, ready when it
//! answers PING, and killed when dropped. Debian's `redis-server` package
//! provides the binary (.ci/setup installs it).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running redis-server.
pub struct RedisServer {
    child: Child,
    pub port: u16,
    pub password: Option<String>,
    _dir: tempfile::TempDir,
}

impl RedisServer {
    /// Starts one without a password.
    pub fn start() -> RedisServer {
        Self::start_with(None)
    }

    /// Starts one with `--requirepass`.
    pub fn start_with_password(pw: &str) -> RedisServer {
        Self::start_with(Some(pw.to_string()))
    }

    fn start_with(password: Option<String>) -> RedisServer {
        let mut last = String::new();
        for _ in 0..5 {
            let port = TcpListener::bind("127.0.0.1:0")
                .and_then(|l| l.local_addr())
                .map(|a| a.port())
                .expect("a free port");
            let dir = tempfile::tempdir().expect("temp dir");
            let mut cmd = Command::new("redis-server");
            cmd.args([
                "--port",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .arg("--dir")
            .arg(dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
            if let Some(pw) = &password {
                cmd.args(["--requirepass", pw]);
            }
            let mut child = cmd.spawn().expect(
                "redis-server is installed (apt-get install redis-server; .ci/setup does it)",
            );
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if let Ok(Some(status)) = child.try_wait() {
                    last = format!("redis-server exited: {status}");
                    break;
                }
                if ping(port) {
                    return RedisServer {
                        child,
                        port,
                        password,
                        _dir: dir,
                    };
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        panic!("redis-server did not start: {last}");
    }

    /// `redis://[:pw@]127.0.0.1:port/0`.
    pub fn url(&self) -> String {
        match &self.password {
            Some(pw) => format!("redis://:{pw}@127.0.0.1:{}/0", self.port),
            None => format!("redis://127.0.0.1:{}/0", self.port),
        }
    }

    /// A plain connection for fixtures that play a peer (raw commands).
    pub async fn raw(&self) -> ::redis::aio::MultiplexedConnection {
        ::redis::Client::open(self.url())
            .expect("url")
            .get_multiplexed_async_connection()
            .await
            .expect("connect to the test redis")
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether something on `port` answers a RESP PING (or asks for AUTH).
fn ping(port: u16) -> bool {
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_millis(500)));
    if s.write_all(b"*1\r\n$4\r\nPING\r\n").is_err() {
        return false;
    }
    let mut buf = [0u8; 64];
    match s.read(&mut buf) {
        Ok(n) if n > 0 => buf.starts_with(b"+PONG") || buf.starts_with(b"-NOAUTH"),
        _ => false,
    }
}
