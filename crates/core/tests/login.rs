//! Login (direct and through a platform), phone numbers, session checks
//! across key rotation, and open-data decryption with the stored session.

mod push_support;

use push_support::*;
use wxdesk_core::store::sessions;
use wxdesk_core::Error;
use wxdesk_sandbox::AccountKind;
use wxdesk_wechat::crypto::open_data::encrypt_open_data;

const APP: &str = "wx5555666677778888";
const APP_SECRET: &str = "appsecret0123456789abcdef01234567";
const IV: &str = "r7BXXKkLb8qrSNn05n0qiA==";

fn stored_key(env: &Env, appid: &str, openid: &str) -> String {
    let row = env
        .desk
        .store()
        .read(|c| sessions::require(c, appid, openid))
        .unwrap();
    env.desk
        .vault()
        .open(sessions::SESSION_KEY, &row.session_key)
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn direct_login_stores_one_session_per_user() {
    let env = start().await;
    env.add_app(APP, APP_SECRET);
    let js = env.sandbox.issue_js_code(APP, None);
    let view = env.desk.login(APP, &js.code, None, false).await.unwrap();
    assert_eq!(view.appid, APP);
    assert_eq!(view.openid, js.openid);
    assert!(!view.revealed);
    assert_ne!(view.session_key, js.session_key);
    assert!(view.session_key.ends_with('…'));
    assert_eq!(view.via_component, None);
    assert_eq!(stored_key(&env, APP, &js.openid), js.session_key);
    assert_eq!(env.sandbox.counter("sns/jscode2session"), 1);

    // A code works once.
    let err = env
        .desk
        .login(APP, &js.code, None, false)
        .await
        .unwrap_err();
    assert_eq!(err.errcode(), Some(40163), "{err}");

    // A new login of the same user replaces the session; reveal shows the key.
    let js2 = env.sandbox.issue_js_code(APP, Some(&js.openid));
    let view = env.desk.login(APP, &js2.code, None, true).await.unwrap();
    assert!(view.revealed);
    assert_eq!(view.session_key, js2.session_key);
    let listed = env.desk.sessions(Some(APP)).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].openid, js.openid);
    assert!(listed[0].session_key_masked.ends_with('…'));
    let json = serde_json::to_string(&listed).unwrap();
    assert!(!json.contains(&js2.session_key));
    assert_eq!(stored_key(&env, APP, &js.openid), js2.session_key);

    // Another user adds a row.
    let js3 = env.sandbox.issue_js_code(APP, None);
    env.desk.login(APP, &js3.code, None, false).await.unwrap();
    assert_eq!(env.desk.sessions(None).unwrap().len(), 2);
}

#[tokio::test]
async fn authorizers_log_in_through_the_platform() {
    let env = start_with_component().await;
    let mp = env.authorized(AccountKind::MiniProgram).await;
    let js = env.sandbox.issue_js_code(&mp, None);
    let view = env.desk.login(&mp, &js.code, None, false).await.unwrap();
    assert_eq!(view.via_component.as_deref(), Some(COMP));
    assert_eq!(view.openid, js.openid);
    assert!(
        view.unionid.is_some(),
        "users of platform-bound apps have a unionid"
    );
    assert_eq!(env.sandbox.counter("sns/component/jscode2session"), 1);
    assert_eq!(env.sandbox.counter("sns/jscode2session"), 0);
    assert_eq!(stored_key(&env, &mp, &js.openid), js.session_key);
    let listed = env.desk.sessions(Some(&mp)).unwrap();
    assert_eq!(listed[0].via_component.as_deref(), Some(COMP));

    // An explicit --component on an app the platform does not serve: WeChat refuses (61003).
    env.add_app(APP, APP_SECRET);
    let js = env.sandbox.issue_js_code(APP, None);
    let err = env
        .desk
        .login(APP, &js.code, Some(COMP), false)
        .await
        .unwrap_err();
    assert_eq!(err.errcode(), Some(61003), "{err}");
    // Without it, the app's own secret is used.
    let view = env.desk.login(APP, &js.code, None, false).await.unwrap();
    assert_eq!(view.via_component, None);
}

#[tokio::test]
async fn login_input_errors() {
    let env = start().await;
    let err = env
        .desk
        .login("wx1", "code", None, false)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    let err = env.desk.login(APP, " ", None, false).await.unwrap_err();
    assert!(matches!(&err, Error::Invalid { field, .. } if field == "code"));
    let err = env
        .desk
        .login(APP, "somecode", None, false)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Invalid { field, .. } if field == "appid"),
        "{err}"
    );
    assert!(err.to_string().contains("wxdesk app add"));
    let err = env
        .desk
        .login(APP, "somecode", Some("wxffffffffffffffff"), false)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "not_found");
    assert_eq!(
        env.sandbox.counters().values().sum::<u64>(),
        0,
        "nothing was sent"
    );
}

#[tokio::test]
async fn phone_numbers_for_apps_and_authorizers() {
    let env = start_with_component().await;
    env.add_app(APP, APP_SECRET);
    let code = env.sandbox.issue_phone_code(APP, "13800138000");
    let phone = env.desk.phone(APP, &code).await.unwrap();
    assert_eq!(phone.phone_number, "13800138000");
    assert_eq!(phone.pure_phone_number, "13800138000");
    assert_eq!(phone.country_code, "86");
    assert_eq!(phone.watermark_appid, APP);
    assert!(phone.watermark_ok);
    let err = env.desk.phone(APP, &code).await.unwrap_err();
    assert_eq!(err.errcode(), Some(40163));

    let mp = env.authorized(AccountKind::MiniProgram).await;
    let code = env.sandbox.issue_phone_code(&mp, "+1 2025550123");
    let phone = env.desk.phone(&mp, &code).await.unwrap();
    assert_eq!(phone.country_code, "1");
    assert_eq!(phone.pure_phone_number, "2025550123");
    assert!(phone.phone_number.starts_with("+1"));
    assert!(phone.watermark_ok);
    // A code for another app is invalid here.
    let code = env.sandbox.issue_phone_code(APP, "13800138000");
    assert_eq!(
        env.desk.phone(&mp, &code).await.unwrap_err().errcode(),
        Some(40029)
    );
}

#[tokio::test]
async fn checksession_turns_invalid_when_a_new_login_rotates_the_key() {
    let env = start_with_component().await;
    env.add_app(APP, APP_SECRET);
    let js = env.sandbox.issue_js_code(APP, None);
    env.desk.login(APP, &js.code, None, false).await.unwrap();
    let check = env.desk.checksession(APP, &js.openid).await.unwrap();
    assert!(check.valid);
    assert_eq!(check.openid, js.openid);

    // The user logs in again elsewhere: the stored key is stale.
    let js2 = env.sandbox.issue_js_code(APP, Some(&js.openid));
    let check = env.desk.checksession(APP, &js.openid).await.unwrap();
    assert!(!check.valid, "87009 means invalid, not an error");
    env.desk.login(APP, &js2.code, None, false).await.unwrap();
    assert!(env.desk.checksession(APP, &js.openid).await.unwrap().valid);

    // Authorizer sessions are checked with the authorizer token.
    let mp = env.authorized(AccountKind::MiniProgram).await;
    let js = env.sandbox.issue_js_code(&mp, None);
    env.desk.login(&mp, &js.code, None, false).await.unwrap();
    assert!(env.desk.checksession(&mp, &js.openid).await.unwrap().valid);

    let err = env.desk.checksession(APP, "o_unknown").await.unwrap_err();
    assert_eq!(err.code(), "not_found");
    let err = env.desk.checksession(APP, "").await.unwrap_err();
    assert!(matches!(&err, Error::Invalid { field, .. } if field == "openid"));
}

#[tokio::test]
async fn open_data_decrypts_with_the_stored_session() {
    let env = start().await;
    env.add_app(APP, APP_SECRET);
    let js = env.sandbox.issue_js_code(APP, None);
    env.desk.login(APP, &js.code, None, false).await.unwrap();

    let plain = format!(
        r#"{{"nickName":"张三","openId":"{}","watermark":{{"appid":"{APP}","timestamp":1700000000}}}}"#,
        js.openid
    );
    let data = encrypt_open_data(&js.session_key, IV, &plain).unwrap();
    let out = env.desk.decrypt_data(APP, &js.openid, IV, &data).unwrap();
    assert_eq!(out.json["nickName"], "张三");
    assert!(out.watermark_ok);
    assert_eq!(out.watermark_appid.as_deref(), Some(APP));
    assert_eq!(out.watermark_timestamp, Some(1_700_000_000));
    assert!(out.repairs.is_empty());

    // A paste broken over two lines is repaired and says so.
    let (a, b) = data.split_at(20);
    let out = env
        .desk
        .decrypt_data(APP, &js.openid, IV, &format!("{a}\n{b}"))
        .unwrap();
    assert_eq!(out.json["nickName"], "张三");
    assert!(!out.repairs.is_empty());

    // Data made for another app decrypts but is flagged.
    let foreign = r#"{"watermark":{"appid":"wx0000000000000001","timestamp":1}}"#;
    let out = env
        .desk
        .decrypt_data(
            APP,
            &js.openid,
            IV,
            &encrypt_open_data(&js.session_key, IV, foreign).unwrap(),
        )
        .unwrap();
    assert!(!out.watermark_ok);

    // After a new login the old data no longer opens with the stored key.
    let js2 = env.sandbox.issue_js_code(APP, Some(&js.openid));
    env.desk.login(APP, &js2.code, None, false).await.unwrap();
    let err = env
        .desk
        .decrypt_data(APP, &js.openid, IV, &data)
        .unwrap_err();
    assert_eq!(err.code(), "decrypt_failed", "{err}");
    let err = env
        .desk
        .decrypt_data(APP, &js.openid, "short", &data)
        .unwrap_err();
    assert!(
        matches!(err.code().as_str(), "invalid_length" | "invalid_base64"),
        "{err}"
    );
    let err = env
        .desk
        .decrypt_data(APP, "o_nobody", IV, &data)
        .unwrap_err();
    assert_eq!(err.code(), "not_found");
}
