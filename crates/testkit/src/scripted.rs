//! A scripted HTTP peer: answers each request path with a fixed JSON body
//! and counts requests per path, for answers the sandbox never gives
//! (odd errcodes, malformed bodies).

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A scripted HTTP server: answers each request path with a fixed JSON body
/// and counts requests per path. For answers the sandbox never gives.
pub struct Scripted {
    pub base: String,
    pub hits: Arc<Mutex<Vec<String>>>,
}

impl Scripted {
    pub async fn start(routes: Vec<(&'static str, String)>) -> Scripted {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let hits = Arc::new(Mutex::new(Vec::new()));
        let seen = hits.clone();
        let routes = Arc::new(routes);
        tokio::spawn(async move {
            loop {
                let Ok((mut sock, _)) = listener.accept().await else {
                    return;
                };
                let routes = routes.clone();
                let seen = seen.clone();
                tokio::spawn(async move {
                    loop {
                        let Some(path) = read_request(&mut sock).await else {
                            return;
                        };
                        seen.lock().unwrap().push(path.clone());
                        let body = routes
                            .iter()
                            .find(|(p, _)| *p == path)
                            .map(|(_, b)| b.clone())
                            .unwrap_or_else(|| {
                                r#"{"errcode":404,"errmsg":"not scripted"}"#.to_string()
                            });
                        let resp = format!(
                            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{}",
                            body.len(),
                            body
                        );
                        if sock.write_all(resp.as_bytes()).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
        Scripted { base, hits }
    }

    pub fn count(&self, path: &str) -> usize {
        self.hits
            .lock()
            .unwrap()
            .iter()
            .filter(|p| *p == path)
            .count()
    }
}

/// Reads one HTTP/1.1 request; returns its path without the query.
async fn read_request(sock: &mut tokio::net::TcpStream) -> Option<String> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = sock.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let len: usize = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse().ok())?
        })
        .unwrap_or(0);
    while buf.len() < head_end + len {
        let n = sock.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let target = head.split_whitespace().nth(1)?.to_string();
    Some(target.split('?').next().unwrap_or("").to_string())
}
