//! The receiver tests' set-up: the sandbox, a desk, and a `receive` on the
//! same database, with the sandbox's platform pushing to it. Shared by the
//! receive tests (`receive.rs`, `receive_team.rs`); each declares
//! `push_support` beside this module.
#![allow(dead_code)]

use std::sync::Arc;
use std::time::Duration;

use wxdesk_core::services::inbox::{InboxEntryView, InboxFilter};
use wxdesk_core::Desk;
use wxdesk_sandbox::ComponentSeed;
use wxdesk_server::receive::{receive, ReceiveConfig, ReceiveHandle};

use crate::push_support::*;

/// The sandbox, a desk, and a receiver on the same database as that desk.
pub struct Rx {
    pub env: Env,
    pub desk: Arc<Desk>,
    pub handle: ReceiveHandle,
    pub http: reqwest::Client,
}

pub async fn start_rx(configure: impl FnOnce(&mut ReceiveConfig)) -> Rx {
    let env = start().await;
    env.add_component(COMP, TOKEN, Some(REDIRECT));
    let desk = Arc::new(open_desk(&env.dir, &env.sandbox.base_url()));
    let mut config = ReceiveConfig::new("127.0.0.1:0".parse().unwrap());
    configure(&mut config);
    let handle = receive(desk.clone(), config).await.unwrap();
    // The sandbox's platform pushes to the receiver.
    env.sandbox.add_component(ComponentSeed {
        appid: COMP.into(),
        secret: SECRET.into(),
        token: TOKEN.into(),
        encoding_aes_key: AES.into(),
        push_url: Some(format!("{}/wechat/component/{COMP}", handle.base_url())),
        name: Some("Test Platform".into()),
    });
    Rx {
        env,
        desk,
        handle,
        http: browser(),
    }
}

impl Rx {
    pub fn inbox(&self) -> Vec<InboxEntryView> {
        self.desk.inbox_list(&InboxFilter::default()).unwrap()
    }

    /// Waits until entry `id` has left `received` (it is applied in the background).
    pub async fn settled(&self, id: i64) -> InboxEntryView {
        for _ in 0..200 {
            let e = self.desk.inbox_entry(id).unwrap();
            if e.outcome != "received" {
                return e;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("entry {id} was never applied");
    }

    pub async fn post(&self, path: &str, query: &str, body: &str) -> (u16, String) {
        let r = self
            .http
            .post(format!("{}{path}?{query}", self.handle.base_url()))
            .header("content-type", "text/xml")
            .body(body.to_string())
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    }
}
