//! A platform's `receive` base URL: validated naming the field, stored with
//! the platform, shown as the console settings to paste, and turned into the
//! permanent authorization link (offline through the op table, and beside
//! every one-time link).

mod push_support;

use push_support::*;
use serde_json::json;
use wxdesk_core::ops::{dispatch, Runtime};
use wxdesk_core::services::components::ComponentChanges;
use wxdesk_core::services::links::AuthLinkOptions;
use wxdesk_core::vault::KeyStorage;
use wxdesk_core::{DeskOptions, Environment, Error};

fn receive_url(url: &str) -> ComponentChanges {
    ComponentChanges {
        receive_url: Some(url.into()),
        ..Default::default()
    }
}

#[tokio::test]
async fn the_receive_url_is_checked_stored_shown_and_cleared() {
    let env = start().await;
    env.add_component(COMP, TOKEN, Some(REDIRECT));
    assert_eq!(env.desk.component_show(COMP).unwrap().receive, None);

    for bad in [
        "wx.example.com",
        "ftp://wx.example.com",
        "https://wx.example.com/?x=1",
    ] {
        let err = env
            .desk
            .component_update(COMP, receive_url(bad))
            .unwrap_err();
        assert!(
            matches!(&err, Error::Invalid { field, .. } if field == "receive_url"),
            "{bad}: {err:?}"
        );
        assert!(err.to_string().contains("https://wx.example.com"), "{err}");
    }
    assert_eq!(env.desk.component_show(COMP).unwrap().receive, None);

    let v = env
        .desk
        .component_update(COMP, receive_url("https://wx.example.com/"))
        .unwrap();
    let r = v.receive.unwrap();
    assert_eq!(r.base_url, "https://wx.example.com");
    assert_eq!(
        r.component_push_url,
        format!("https://wx.example.com/wechat/component/{COMP}")
    );
    assert_eq!(
        r.message_push_url,
        format!("https://wx.example.com/wechat/message/{COMP}/$APPID$")
    );
    assert_eq!(r.launch_domain, "wx.example.com");
    // Other changes keep it; "" clears it.
    let v = env
        .desk
        .component_update(
            COMP,
            ComponentChanges {
                name: Some("Renamed".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert!(v.receive.is_some());
    let v = env.desk.component_update(COMP, receive_url("")).unwrap();
    assert_eq!(v.receive, None);

    // The console's token and key: masked in the view, in clear only when revealed.
    assert!(!format!("{:?}", v.token).contains(TOKEN));
    let s = env.desk.push_secrets_reveal(COMP).unwrap();
    assert_eq!(s.token.as_deref(), Some(TOKEN));
    assert_eq!(s.aes_key.as_deref(), Some(AES));
    let debug = format!("{s:?}");
    assert!(!debug.contains(TOKEN) && !debug.contains(AES), "{debug}");
}

#[tokio::test]
async fn the_permanent_link_is_offered_offline_and_beside_each_one_time_link() {
    let env = start().await;
    env.add_component(COMP, TOKEN, Some(REDIRECT));
    let rt = Runtime::open(DeskOptions {
        db_path: env.dir.path().join("wxdesk.db"),
        key_storage: KeyStorage::File,
        environment: Some(Environment::Sandbox {
            base: env.sandbox.base_url(),
        }),
        client: wxdesk_wechat::ClientConfig::default(),
    })
    .await
    .unwrap();

    // None stored: an error naming receive_url and the command to set it.
    let err = dispatch(&rt, "receive_link", json!({ "component_appid": COMP }))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Invalid { field, .. } if field == "receive_url"),
        "{err:?}"
    );
    assert!(err.to_string().contains("--receive-url"), "{err}");

    dispatch(
        &rt,
        "component_update",
        json!({ "appid": COMP, "receive_url": "https://wx.example.com" }),
    )
    .await
    .unwrap();
    // No ticket is stored: the permanent link needs none and spends no code.
    let v = dispatch(
        &rt,
        "receive_link",
        json!({ "component_appid": COMP, "kind": "h5", "auth_type": 2, "biz_appid": "wx1111111111111111" }),
    )
    .await
    .unwrap();
    assert_eq!(
        v["url"],
        format!("https://wx.example.com/wechat/authorize/{COMP}?type=h5&auth_type=2&biz_appid=wx1111111111111111")
    );
    assert_eq!(v["kind"], "h5");
    assert_eq!(
        env.sandbox
            .counter("cgi-bin/component/api_create_preauthcode"),
        0
    );
    let err = dispatch(
        &rt,
        "receive_link",
        json!({ "component_appid": COMP, "auth_type": 7 }),
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("auth_type"), "{err}");

    // A one-time link carries the permanent one with the same options.
    env.give_ticket(COMP);
    let link = rt
        .desk()
        .auth_link(COMP, &AuthLinkOptions::default())
        .await
        .unwrap();
    assert_eq!(
        link.permanent_url.as_deref(),
        Some(format!("https://wx.example.com/wechat/authorize/{COMP}?type=pc").as_str())
    );
}
