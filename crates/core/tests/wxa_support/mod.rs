//! Shared set-up of the code-management tests: a runtime on the test
//! world's database, op helpers, a merchant authorized to a platform with a
//! server domain on the platform's list and a template, and a privacy guide.
#![allow(dead_code)]

use serde_json::{json, Value};
use wxdesk_core::ops::{dispatch, Runtime};
use wxdesk_core::Error;

use crate::common::*;

/// The operation table's runtime on the world's database (see testkit).
pub async fn runtime(w: &World) -> Runtime {
    w.runtime().await
}

pub async fn op(rt: &Runtime, name: &str, args: Value) -> Result<Value, Error> {
    dispatch(rt, name, args).await
}

pub async fn ok(rt: &Runtime, name: &str, args: Value) -> Value {
    match dispatch(rt, name, args).await {
        Ok(v) => v,
        Err(e) => panic!("{name}: {e} {:?}", e.body()),
    }
}

pub fn decode_qr(png_bytes: &[u8]) -> String {
    let decoder = png::Decoder::new(png_bytes);
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    let (w, h) = (info.width as usize, info.height as usize);
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| buf[y * w + x]);
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1);
    grids[0].decode().unwrap().1
}

pub fn guide() -> Value {
    json!({
        "privacy_ver": 2,
        "owner_setting": {"contact_email": "privacy@example.com", "notice_method": "弹窗提醒"},
        "setting_list": [{"privacy_key": "UserInfo", "privacy_text": "登录与展示"}]
    })
}

pub struct Merchant {
    pub comp: String,
    pub mp: String,
    pub template_id: i64,
}

impl Merchant {
    /// The arguments that name the merchant's mini program and its platform.
    pub fn target(&self) -> Value {
        json!({"appid": self.mp, "component_appid": self.comp})
    }

    /// `code_commit`'s arguments: the merchant's template as `user_version`.
    pub fn commit(&self, user_version: &str) -> Value {
        json!({"appid": self.mp, "template_id": self.template_id, "user_version": user_version})
    }
}

/// A test world, the runtime on its database, and a [`merchant`] in it.
pub async fn world_with_merchant() -> (World, Runtime, Merchant) {
    let w = World::start().await;
    let rt = runtime(&w).await;
    let m = merchant(&w, &rt).await;
    (w, rt, m)
}

/// A platform with a ticket and one authorized merchant, a server domain on
/// the platform's list, and a template in the library (through the ops).
pub async fn merchant(w: &World, rt: &Runtime) -> Merchant {
    let desk = rt.desk();
    let (comp, _) = seed_component(w, &desk);
    deliver_ticket(w, &desk, &comp);
    let (mp, _, _) = seed_authorizer(w, &desk, &comp);
    let v = ok(
        rt,
        "platform_domains",
        json!({"component_appid": comp, "kind": "server", "action": "add", "domains": ["api.example.com"]}),
    )
    .await;
    assert!(v["domains"]["testing"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d == "api.example.com"));
    let seed = draft_seed(&comp, "1.0.0");
    let draft = w.sandbox.add_template_drafts(seed).unwrap()[0];
    let drafts = ok(rt, "template_drafts", json!({"component_appid": comp})).await;
    assert!(drafts
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["draft_id"] == draft));
    let t = ok(
        rt,
        "template_add",
        json!({"component_appid": comp, "draft_id": draft, "template_type": 0}),
    )
    .await;
    assert_eq!(t["draft_id"], draft);
    let template_id = t["template_id"].as_i64().unwrap();
    let list = ok(rt, "template_list", json!({"component_appid": comp})).await;
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["template_id"] == template_id));
    Merchant {
        comp,
        mp,
        template_id,
    }
}

/// Sets the merchant's request domain and privacy guide, as a submit needs.
pub async fn domains_and_privacy(rt: &Runtime, m: &Merchant) {
    let domains = json!({"appid": m.mp, "requestdomain": ["https://api.example.com"]});
    ok(rt, "domain_set", domains).await;
    ok(
        rt,
        "privacy_set",
        json!({"appid": m.mp, "setting": guide()}),
    )
    .await;
}

pub fn blockers(check: &Value) -> Vec<String> {
    check["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "blocker")
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect()
}
