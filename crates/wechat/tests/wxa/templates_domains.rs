//! The template library and the domain rules.

use wxdesk_sandbox::DraftSeed;
use wxdesk_wechat::api::wxa_domain::ServerDomains;
use wxdesk_wechat::api::wxa_shared::DomainAction;
use wxdesk_wechat::api::wxa_template::TemplateType;

use crate::common::*;

#[tokio::test]
async fn template_library_adds_lists_deletes_and_caps_at_200() {
    let e = env().await;
    assert!(e
        .c
        .wxa_template_drafts(COMP, &e.cat)
        .await
        .unwrap()
        .is_empty());
    let ids =
        e.sb.add_template_drafts(DraftSeed {
            component_appid: COMP.into(),
            user_version: Some("2.1.0".into()),
            user_desc: Some("shop".into()),
            pages: vec![],
            privacy_keys: None,
            count: Some(2),
        })
        .unwrap();
    let drafts = e.c.wxa_template_drafts(COMP, &e.cat).await.unwrap();
    assert_eq!(drafts.len(), 2);
    assert_eq!(drafts[0].user_version, "2.1.0");
    e.c.wxa_template_add(COMP, &e.cat, ids[0], TemplateType::Normal)
        .await
        .unwrap();
    e.c.wxa_template_add(COMP, &e.cat, ids[1], TemplateType::Standard)
        .await
        .unwrap();
    assert_eq!(
        errcode(
            e.c.wxa_template_add(COMP, &e.cat, 1, TemplateType::Normal)
                .await
        ),
        85064,
        "unknown draft"
    );
    let all = e.c.wxa_template_list(COMP, &e.cat, None).await.unwrap();
    assert_eq!(all.len(), 2);
    let standard =
        e.c.wxa_template_list(COMP, &e.cat, Some(TemplateType::Standard))
            .await
            .unwrap();
    assert_eq!(standard.len(), 1);
    assert_eq!(standard[0].template_type, 1);
    e.c.wxa_template_delete(COMP, &e.cat, standard[0].template_id)
        .await
        .unwrap();
    assert_eq!(
        errcode(
            e.c.wxa_template_delete(COMP, &e.cat, standard[0].template_id)
                .await
        ),
        85064
    );
    // Fill the library to 200, then the 201st is refused.
    for _ in 1..200 {
        e.c.wxa_template_add(COMP, &e.cat, ids[0], TemplateType::Normal)
            .await
            .unwrap();
    }
    assert_eq!(
        e.c.wxa_template_list(COMP, &e.cat, None)
            .await
            .unwrap()
            .len(),
        200
    );
    assert_eq!(
        errcode(
            e.c.wxa_template_add(COMP, &e.cat, ids[0], TemplateType::Normal)
                .await
        ),
        85065
    );
    // The component token is required: an authorizer token is refused.
    let m = e.merchant().await;
    assert_eq!(
        errcode(e.c.wxa_template_drafts(COMP, &m.token).await),
        40001
    );
}

#[tokio::test]
async fn merchant_domains_must_be_on_the_platform_list_first() {
    let e = env().await;
    let m = e.merchant().await;
    let api = ServerDomains {
        requestdomain: vec!["https://api.example.com".into()],
        wsrequestdomain: vec!["wss://api.example.com".into()],
        ..Default::default()
    };
    assert_eq!(
        errcode(
            e.c.wxa_server_domain(&m.appid, &m.token, DomainAction::Add, &api, false)
                .await
        ),
        61039,
        "the platform has no server domains yet"
    );
    let platform =
        e.c.component_server_domain(
            COMP,
            &e.cat,
            DomainAction::Add,
            &["api.example.com".into()],
            false,
        )
        .await
        .unwrap();
    assert_eq!(platform.testing, ["api.example.com"]);
    assert!(platform.published.is_empty());
    let set =
        e.c.wxa_server_domain(&m.appid, &m.token, DomainAction::Add, &api, false)
            .await
            .unwrap();
    assert_eq!(set.requestdomain, ["https://api.example.com"]);
    assert_eq!(
        errcode(
            e.c.wxa_server_domain(&m.appid, &m.token, DomainAction::Add, &api, false)
                .await
        ),
        85017,
        "nothing new to add"
    );
    let other = ServerDomains {
        requestdomain: vec!["https://other.example.org".into()],
        ..Default::default()
    };
    assert_eq!(
        errcode(
            e.c.wxa_server_domain(&m.appid, &m.token, DomainAction::Add, &other, false)
                .await
        ),
        85301
    );
    // Directly: no platform list needed.
    e.c.wxa_server_domain(&m.appid, &m.token, DomainAction::Add, &other, true)
        .await
        .unwrap();
    let eff = e.c.wxa_effective_domain(&m.appid, &m.token).await.unwrap();
    assert_eq!(eff.third_domain.requestdomain, ["https://api.example.com"]);
    assert_eq!(
        eff.direct_domain.requestdomain,
        ["https://other.example.org"]
    );
    assert_eq!(eff.effective_domain.requestdomain.len(), 2);
    let got =
        e.c.wxa_server_domain(
            &m.appid,
            &m.token,
            DomainAction::Get,
            &ServerDomains::default(),
            false,
        )
        .await
        .unwrap();
    assert_eq!(got.wsrequestdomain, ["wss://api.example.com"]);
    // A wrong scheme is named before anything is sent.
    let bad = ServerDomains {
        requestdomain: vec!["http://api.example.com".into()],
        ..Default::default()
    };
    assert_eq!(
        invalid_field(
            e.c.wxa_server_domain(&m.appid, &m.token, DomainAction::Add, &bad, false)
                .await
        ),
        "requestdomain"
    );
    // Business domains: the platform's jump list, subdomains allowed.
    let h5 = vec!["https://h5.example.com".to_string()];
    assert_eq!(
        errcode(
            e.c.wxa_webview_domain(&m.appid, &m.token, DomainAction::Add, &h5, false)
                .await
        ),
        89020
    );
    let jump =
        e.c.component_jump_domain(
            COMP,
            &e.cat,
            DomainAction::Set,
            &["example.com".into()],
            true,
        )
        .await
        .unwrap();
    assert_eq!(jump.published, ["example.com"]);
    let wv =
        e.c.wxa_webview_domain(&m.appid, &m.token, DomainAction::Add, &h5, false)
            .await
            .unwrap();
    assert_eq!(wv.webviewdomain, h5);
    assert_eq!(
        errcode(
            e.c.wxa_webview_domain(
                &m.appid,
                &m.token,
                DomainAction::Add,
                &["https://evil.org".into()],
                false
            )
            .await
        ),
        89021
    );
    assert_eq!(
        errcode(
            e.c.wxa_webview_domain(&m.appid, &m.token, DomainAction::Set, &h5, false)
                .await
        ),
        89019,
        "no change"
    );
    e.c.wxa_webview_domain(
        &m.appid,
        &m.token,
        DomainAction::Add,
        &["https://evil.org".into()],
        true,
    )
    .await
    .unwrap();
    let f =
        e.c.wxa_webview_confirmfile(&m.appid, &m.token)
            .await
            .unwrap();
    assert!(f.file_name.ends_with(".txt") && !f.file_content.is_empty());
    let f =
        e.c.component_domain_confirmfile(COMP, &e.cat)
            .await
            .unwrap();
    assert!(f.file_name.ends_with(".txt"));
}

#[tokio::test]
async fn domain_changes_are_never_replayed_but_reads_are() {
    let e = env().await;
    let m = e.merchant().await;
    let busy = wxdesk_sandbox::FaultKind::Errcode {
        errcode: -1,
        errmsg: "system error".into(),
    };
    let fault = |endpoint: &str| wxdesk_sandbox::Fault::new(endpoint, busy.clone()).times(1);
    let one = ["api.example.com".to_string()];
    e.sb.set_fault(fault("cgi-bin/component/modify_wxa_server_domain"));
    assert_eq!(
        errcode(
            e.c.component_server_domain(COMP, &e.cat, DomainAction::Add, &one, false)
                .await
        ),
        -1
    );
    assert_eq!(
        e.sb.counter("cgi-bin/component/modify_wxa_server_domain"),
        1
    );
    e.sb.set_fault(fault("cgi-bin/component/modify_wxa_server_domain"));
    e.c.component_server_domain(COMP, &e.cat, DomainAction::Get, &[], false)
        .await
        .unwrap();
    assert_eq!(
        e.sb.counter("cgi-bin/component/modify_wxa_server_domain"),
        3
    );
    let web = ["https://h5.example.com".to_string()];
    e.sb.set_fault(fault("wxa/setwebviewdomain"));
    assert_eq!(
        errcode(
            e.c.wxa_webview_domain(&m.appid, &m.token, DomainAction::Set, &web, false)
                .await
        ),
        -1
    );
    assert_eq!(e.sb.counter("wxa/setwebviewdomain"), 1);
}
