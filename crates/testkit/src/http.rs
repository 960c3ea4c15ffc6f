//! Calling a sandbox or a server by hand: many tests send a request only to
//! read its JSON answer, and spelling out `send`, `json` and their unwraps
//! each time buried what the test sends.

use std::future::Future;

use serde_json::Value;

/// A request sent for its JSON answer.
pub trait JsonReply {
    /// Sends the request and reads the answer's body as JSON, whatever its
    /// status; panics if either step fails.
    fn json_reply(self) -> impl Future<Output = Value> + Send;
}

impl JsonReply for reqwest::RequestBuilder {
    async fn json_reply(self) -> Value {
        self.send().await.unwrap().json().await.unwrap()
    }
}
