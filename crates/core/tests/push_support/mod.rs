//! Shared set-up of the onboarding and login tests (from wxdesk-testkit): a
//! sandbox, a desk on a temporary database pointed at it, and platforms/apps
//! registered on both.
#![allow(dead_code, unused_imports)]

pub use wxdesk_testkit::http::JsonReply;
pub use wxdesk_testkit::push_env::open_desk_in as open_desk;
pub use wxdesk_testkit::push_env::*;

/// A link to authorize to `COMP` with the default options, which must be
/// made.
pub async fn default_link(env: &Env) -> wxdesk_core::services::links::LinkView {
    link_with(env, &Default::default()).await
}

/// A link to authorize to `COMP` with `options`, which must be made.
pub async fn link_with(
    env: &Env,
    options: &wxdesk_core::services::links::AuthLinkOptions,
) -> wxdesk_core::services::links::LinkView {
    env.desk.auth_link(COMP, options).await.unwrap()
}

/// A platform (see [`start_with_component`]) that authorized one mini
/// program and one official account: `(env, mini program, official account)`.
pub async fn start_with_mp_and_oa() -> (Env, String, String) {
    let env = start_with_component().await;
    let mp = env
        .authorized(wxdesk_sandbox::AccountKind::MiniProgram)
        .await;
    let oa = env
        .authorized(wxdesk_sandbox::AccountKind::OfficialAccount)
        .await;
    (env, mp, oa)
}

/// The progress callback of a bulk pass nobody watches.
pub fn no_progress(_: usize, _: usize) {}

/// A sync of `COMP`'s authorizers nobody watches or cancels.
pub async fn sync(
    env: &Env,
) -> wxdesk_core::Result<wxdesk_core::services::authorizers_bulk::SyncReport> {
    let cancel = std::sync::atomic::AtomicBool::new(false);
    env.desk.authorizer_sync(COMP, &no_progress, &cancel).await
}

/// [`sync`], confirming a mass revocation.
pub async fn sync_confirmed(
    env: &Env,
) -> wxdesk_core::Result<wxdesk_core::services::authorizers_bulk::SyncReport> {
    let cancel = std::sync::atomic::AtomicBool::new(false);
    env.desk
        .authorizer_sync_confirmed(COMP, true, &no_progress, &cancel)
        .await
}

/// Seals `msg` for `COMP` as WeChat does (timestamp 1700000000, nonce
/// `nonce42`) and hands it to the desk's push endpoint, which must take it.
pub async fn deliver_sealed(
    env: &Env,
    msg: &str,
) -> wxdesk_core::services::components_push::PushApplied {
    let crypto = wxdesk_wechat::crypto::push::PushCrypto::new(TOKEN, AES, COMP).unwrap();
    let sealed = crypto.seal(msg.as_bytes(), "1700000000", "nonce42", None);
    let body = format!(
        "<xml><AppId><![CDATA[{COMP}]]></AppId><Encrypt><![CDATA[{}]]></Encrypt></xml>",
        sealed.encrypt
    );
    let query = format!(
        "timestamp=1700000000&nonce=nonce42&encrypt_type=aes&msg_signature={}",
        sealed.msg_signature
    );
    env.desk.ticket_push(COMP, &query, &body).await.unwrap()
}
