//! Authorization and fast-registration links: defaults, validation before
//! any code is spent, supplied codes, and QR rendering.

mod push_support;

use push_support::*;
use wxdesk_core::services::links::{qr_png_for, qr_svg_for, AuthLinkOptions, LinkKind};
use wxdesk_core::Error;
use wxdesk_wechat::links::AuthLinkKind;

fn field_of(e: &Error) -> &str {
    match e {
        Error::Invalid { field, .. } => field,
        Error::Wechat(wxdesk_wechat::Error::InvalidInput { field, .. }) => field,
        other => panic!("expected bad input, got {other:?}"),
    }
}

#[tokio::test]
async fn bad_input_is_refused_before_a_pre_auth_code_is_spent() {
    let env = start().await;
    env.add_component(COMP, TOKEN, None);
    env.give_ticket(COMP);

    let err = env
        .desk
        .auth_link(COMP, &AuthLinkOptions::default())
        .await
        .unwrap_err();
    assert_eq!(field_of(&err), "redirect_uri");
    assert!(err.to_string().contains("--redirect-uri"), "{err}");

    let with = |o: AuthLinkOptions| AuthLinkOptions {
        redirect_uri: Some("https://merchant.example.com/cb".into()),
        ..o
    };
    let err = env
        .desk
        .auth_link(
            COMP,
            &with(AuthLinkOptions {
                auth_type: Some(7),
                ..AuthLinkOptions::default()
            }),
        )
        .await
        .unwrap_err();
    assert_eq!(field_of(&err), "auth_type");
    let err = env
        .desk
        .auth_link(
            COMP,
            &with(AuthLinkOptions {
                biz_appid: Some("wx123".into()),
                ..AuthLinkOptions::default()
            }),
        )
        .await
        .unwrap_err();
    assert_eq!(field_of(&err), "biz_appid");
    let err = env
        .desk
        .auth_link(
            COMP,
            &AuthLinkOptions {
                redirect_uri: Some("merchant.example.com/cb".into()),
                ..AuthLinkOptions::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(field_of(&err), "redirect_uri");
    let err = env
        .desk
        .auth_link("wxffffffffffffffff", &with(AuthLinkOptions::default()))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "not_found");
    assert_eq!(
        env.sandbox
            .counter("cgi-bin/component/api_create_preauthcode"),
        0
    );

    // Valid: categories are joined with '|' (encoded), the given redirect wins.
    let valid = with(AuthLinkOptions {
        auth_type: Some(2),
        category_ids: vec![17, 18, 17],
        ..AuthLinkOptions::default()
    });
    let link = link_with(&env, &valid).await;
    assert_eq!(link.kind, LinkKind::Pc);
    assert!(
        link.url.contains("category_id_list=17%7C18"),
        "{}",
        link.url
    );
    assert!(link.url.contains("auth_type=2"));
    assert!(
        link.url
            .contains("redirect_uri=https%3A%2F%2Fmerchant.example.com%2Fcb"),
        "{}",
        link.url
    );
    assert_eq!(link.redirect_uri, "https://merchant.example.com/cb");
    assert_eq!(
        env.sandbox
            .counter("cgi-bin/component/api_create_preauthcode"),
        1
    );
    let json = serde_json::to_value(&link).unwrap();
    assert_eq!(json["kind"], "pc");
    assert!(json["pre_auth_code_masked"]
        .as_str()
        .unwrap()
        .ends_with('…'));
}

#[tokio::test]
async fn a_supplied_pre_auth_code_is_used_as_is() {
    let env = start_with_component().await;
    let supplied = AuthLinkOptions {
        kind: AuthLinkKind::H5,
        pre_auth_code: Some("preauthcode@@@supplied-elsewhere-1234".into()),
        ..AuthLinkOptions::default()
    };
    let link = link_with(&env, &supplied).await;
    assert_eq!(link.kind, LinkKind::H5);
    assert!(
        link.url
            .contains("pre_auth_code=preauthcode%40%40%40supplied-elsewhere-1234"),
        "{}",
        link.url
    );
    assert_eq!(link.expires_in, None);
    assert_eq!(link.expires_at, None);
    assert_eq!(
        env.sandbox
            .counter("cgi-bin/component/api_create_preauthcode"),
        0
    );
}

#[tokio::test]
async fn a_platform_without_a_ticket_cannot_make_links() {
    let env = start().await;
    env.add_component(COMP, TOKEN, Some(REDIRECT));
    let err = env
        .desk
        .auth_link(COMP, &AuthLinkOptions::default())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "ticket_unavailable");
    assert!(err.hint().unwrap().contains("start-push"));
    // Only WeChat's errcodes have a Chinese fix; the UI translates its own codes.
    let body = err.body();
    assert_eq!(body.hint_zh, None);
    assert!(serde_json::to_value(&body)
        .unwrap()
        .get("hint_zh")
        .is_none());
}

#[tokio::test]
async fn fastregister_link_needs_an_authorized_official_account() {
    let (env, mp, oa) = start_with_mp_and_oa().await;

    let err = env
        .desk
        .fastregister_link(COMP, &mp, None, true)
        .unwrap_err();
    assert_eq!(field_of(&err), "oa_appid");
    assert!(err.to_string().contains("mini program"));
    let err = env
        .desk
        .fastregister_link(COMP, "wx9999999999999999", None, true)
        .unwrap_err();
    assert_eq!(field_of(&err), "oa_appid");
    assert!(err.to_string().contains("authorize"));
    let err = env
        .desk
        .fastregister_link(COMP, "nope", None, true)
        .unwrap_err();
    assert_eq!(field_of(&err), "oa_appid");

    let link = env.desk.fastregister_link(COMP, &oa, None, true).unwrap();
    assert_eq!(link.kind, LinkKind::Fastregister);
    assert!(link.url.contains("/cgi-bin/fastregisterauth?"));
    assert!(link.url.contains(&format!("appid={oa}")));
    assert!(link.url.contains(&format!("component_appid={COMP}")));
    assert!(link.url.contains("copy_wx_verify=1"));
    assert_eq!(link.redirect_uri, REDIRECT);
    assert!(link.pre_auth_code_masked.is_none());
    let link = env
        .desk
        .fastregister_link(COMP, &oa, Some("https://other.example.com/fr"), false)
        .unwrap();
    assert!(link.url.contains("copy_wx_verify=0"));
    assert!(link
        .url
        .contains("redirect_uri=https%3A%2F%2Fother.example.com%2Ffr"));
    // The page opens in the sandbox.
    let page = browser().get(&link.url).send().await.unwrap();
    assert_eq!(page.status(), 200);
}

#[tokio::test]
async fn links_render_as_qr_codes() {
    let env = start_with_component().await;
    let link = default_link(&env).await;
    let png = qr_png_for(&link.url, 300).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let svg = qr_svg_for(&link.url, 300).unwrap();
    assert!(svg.contains("<svg"));
    assert!(
        qr_png_for(&"x".repeat(5000), 300).is_err(),
        "too long for a QR code"
    );
}
