//! The code-management calls (templates, domains, code, testers, privacy,
//! audit, release) against the offline sandbox: success and the main errors
//! of each, WeChat's rules (library cap, one audit at a time, withdrawal
//! limit, release only after an audit, rollback only once), the experience
//! QR decoded with rqrr, and the retry rule of submissions.

use std::time::Duration;

use wxdesk_sandbox::{
    AccountKind, AuditOutcome, AuditPlan, AuthorizeSeed, ComponentSeed, DraftSeed, Fault,
    FaultKind, ProfilePatch, Sandbox, SandboxConfig, SandboxHandle,
};
use wxdesk_wechat::api::wxa_audit::{AuditItem, AuditState, PreviewInfo, SubmitAuditRequest};
use wxdesk_wechat::api::wxa_code::CommitRequest;
use wxdesk_wechat::api::wxa_domain::ServerDomains;
use wxdesk_wechat::api::wxa_member::TesterRef;
use wxdesk_wechat::api::wxa_privacy::{
    PrivacyInterfaceApplication, PrivacyItem, PrivacyOwnerSetting, PrivacySetting,
};
use wxdesk_wechat::api::wxa_release::{GrayRelease, VisitStatus};
use wxdesk_wechat::api::wxa_shared::DomainAction;
use wxdesk_wechat::api::wxa_template::TemplateType;
use wxdesk_wechat::client::RetryPolicy;
use wxdesk_wechat::{Bases, Client, ClientConfig, Error};

const COMP: &str = "wx2222222222222222";
const COMP_SECRET: &str = "fedcba9876543210fedcba9876543210";
const AES_KEY: &str = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

struct Env {
    sb: SandboxHandle,
    c: Client,
    cat: String,
}

struct Merchant {
    appid: String,
    token: String,
}

async fn env() -> Env {
    let sb = Sandbox::start(SandboxConfig::default())
        .await
        .expect("sandbox starts");
    sb.add_component(ComponentSeed {
        appid: COMP.into(),
        secret: COMP_SECRET.into(),
        token: "msgtoken".into(),
        encoding_aes_key: AES_KEY.into(),
        push_url: None,
        name: Some("Test Platform".into()),
    });
    let c = Client::new(ClientConfig {
        bases: Bases::single(&sb.base_url()).unwrap(),
        timeout: Duration::from_secs(5),
        connect_timeout: Duration::from_secs(1),
        retry: RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(20),
        },
        ..ClientConfig::default()
    })
    .unwrap();
    let ticket = sb.issue_ticket(COMP).unwrap();
    let cat = c
        .component_token(COMP, COMP_SECRET, &ticket)
        .await
        .unwrap()
        .component_access_token;
    Env { sb, c, cat }
}

impl Env {
    async fn merchant(&self) -> Merchant {
        let auth = self
            .sb
            .authorize(AuthorizeSeed {
                component_appid: COMP.into(),
                authorizer_appid: None,
                kind: AccountKind::MiniProgram,
                func_ids: vec![],
            })
            .unwrap();
        let info = self
            .c
            .query_auth(COMP, &self.cat, &auth.auth_code)
            .await
            .unwrap();
        Merchant {
            appid: info.authorizer_appid,
            token: info.authorizer_access_token.unwrap(),
        }
    }

    /// A template in the library; returns its id.
    async fn template(&self) -> i64 {
        let draft = self
            .sb
            .add_template_drafts(DraftSeed {
                component_appid: COMP.into(),
                user_version: Some("1.0.0".into()),
                user_desc: None,
                pages: vec![],
                privacy_keys: None,
                count: None,
            })
            .unwrap()[0];
        self.c
            .wxa_template_add(COMP, &self.cat, draft, TemplateType::Normal)
            .await
            .unwrap();
        let list = self
            .c
            .wxa_template_list(COMP, &self.cat, None)
            .await
            .unwrap();
        list.iter()
            .find(|t| t.draft_id == draft)
            .unwrap()
            .template_id
    }

    /// Domains, privacy guide and committed code: ready for an audit that passes.
    async fn ready(&self, m: &Merchant, template_id: i64, version: &str) {
        self.c
            .component_server_domain(
                COMP,
                &self.cat,
                DomainAction::Add,
                &["api.example.com".into()],
                false,
            )
            .await
            .unwrap();
        let domains = ServerDomains {
            requestdomain: vec!["https://api.example.com".into()],
            ..Default::default()
        };
        self.c
            .wxa_server_domain(&m.appid, &m.token, DomainAction::Set, &domains, false)
            .await
            .unwrap();
        self.c
            .wxa_set_privacy(&m.appid, &m.token, &guide(&["UserInfo"]))
            .await
            .unwrap();
        self.c
            .wxa_commit(&m.appid, &m.token, &commit(template_id, &m.appid, version))
            .await
            .unwrap();
    }
}

fn guide(keys: &[&str]) -> PrivacySetting {
    PrivacySetting {
        privacy_ver: Some(2),
        owner_setting: PrivacyOwnerSetting {
            contact_email: Some("privacy@example.com".into()),
            notice_method: "弹窗提醒".into(),
            ..Default::default()
        },
        setting_list: keys
            .iter()
            .map(|k| PrivacyItem {
                privacy_key: (*k).into(),
                privacy_text: "登录与展示".into(),
                privacy_label: None,
            })
            .collect(),
        sdk_privacy_info_list: None,
    }
}

fn commit(template_id: i64, appid: &str, version: &str) -> CommitRequest {
    CommitRequest {
        template_id,
        ext_json: format!(r#"{{"extAppid":"{appid}","ext":{{"shop":"demo"}}}}"#),
        user_version: version.into(),
        user_desc: format!("release {version}"),
    }
}

fn errcode<T>(r: Result<T, Error>) -> i64 {
    match r {
        Err(Error::Api { errcode, .. }) => errcode,
        Err(other) => panic!("expected an API error, got {other:?}"),
        Ok(_) => panic!("expected an API error, got success"),
    }
}

fn invalid_field<T: std::fmt::Debug>(r: Result<T, Error>) -> String {
    match r {
        Err(Error::InvalidInput { field, .. }) => field,
        other => panic!("expected invalid input, got {other:?}"),
    }
}

fn plan(outcome: AuditOutcome, secs: i64) -> AuditPlan {
    AuditPlan {
        outcome,
        duration_secs: secs,
        ..AuditPlan::default()
    }
}

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

fn decode_png(bytes: &[u8]) -> String {
    let decoder = png::Decoder::new(bytes);
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    let (w, h) = (info.width as usize, info.height as usize);
    assert_eq!(info.color_type, png::ColorType::Grayscale);
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| buf[y * w + x]);
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1);
    grids[0].decode().unwrap().1
}

#[tokio::test]
async fn commit_pages_categories_qr_and_testers() {
    let e = env().await;
    let m = e.merchant().await;
    let t = e.template().await;
    assert_eq!(
        errcode(e.c.wxa_experience_qr(&m.appid, &m.token, None).await),
        86001,
        "no code yet: the JSON error body becomes an API error"
    );
    assert_eq!(errcode(e.c.wxa_pages(&m.appid, &m.token).await), 86001);
    assert_eq!(
        errcode(
            e.c.wxa_commit(&m.appid, &m.token, &commit(t + 999, &m.appid, "1.0.0"))
                .await
        ),
        85014
    );
    assert_eq!(
        errcode(
            e.c.wxa_commit(
                &m.appid,
                &m.token,
                &commit(t, "wx0123456789abcdef", "1.0.0")
            )
            .await
        ),
        85013,
        "extAppid of another mini program"
    );
    let bad_page = CommitRequest {
        ext_json: r#"{"pages":["pages/missing/missing"]}"#.into(),
        ..commit(t, &m.appid, "1.0.0")
    };
    assert_eq!(
        errcode(e.c.wxa_commit(&m.appid, &m.token, &bad_page).await),
        85045
    );
    e.c.wxa_commit(&m.appid, &m.token, &commit(t, &m.appid, "1.0.0"))
        .await
        .unwrap();
    let pages = e.c.wxa_pages(&m.appid, &m.token).await.unwrap();
    assert_eq!(pages, ["pages/index/index", "pages/detail/detail"]);
    let cats = e.c.wxa_categories(&m.appid, &m.token).await.unwrap();
    assert_eq!(cats[0].first_class, "工具");
    assert!(cats[0].first_id > 0 && cats[0].second_id > 0);

    let qr =
        e.c.wxa_experience_qr(&m.appid, &m.token, Some("pages/detail/detail?id=7"))
            .await
            .unwrap();
    assert_eq!(qr.content_type, "image/png");
    let url = decode_png(&qr.bytes);
    assert!(url.starts_with(&e.sb.base_url()), "{url}");
    assert!(url.contains(&format!("appid={}", m.appid)), "{url}");
    assert!(
        url.contains("path=pages%2Fdetail%2Fdetail%3Fid%3D7"),
        "{url}"
    );
    assert_eq!(
        invalid_field(
            e.c.wxa_experience_qr(&m.appid, &m.token, Some("/pages/x"))
                .await
        ),
        "path"
    );

    // Testers: only bound ones may scan.
    assert_eq!(
        e.sb.scan_experience(&m.appid, "tester_001").unwrap().result,
        "refused"
    );
    let userstr =
        e.c.wxa_bind_tester(&m.appid, &m.token, "tester_001")
            .await
            .unwrap();
    assert!(!userstr.is_empty());
    let scan = e.sb.scan_experience(&m.appid, "tester_001").unwrap();
    assert_eq!(scan.result, "ok");
    assert_eq!(scan.user_version.as_deref(), Some("1.0.0"));
    assert_eq!(
        errcode(e.c.wxa_bind_tester(&m.appid, &m.token, "tester_001").await),
        85004
    );
    assert_eq!(
        invalid_field(e.c.wxa_bind_tester(&m.appid, &m.token, "13800138000").await),
        "wechatid"
    );
    for i in 2..=40 {
        e.c.wxa_bind_tester(&m.appid, &m.token, &format!("tester_{i:03}"))
            .await
            .unwrap();
    }
    assert_eq!(
        errcode(e.c.wxa_bind_tester(&m.appid, &m.token, "tester_041").await),
        85002,
        "a verified mini program binds 40 testers"
    );
    assert_eq!(e.c.wxa_testers(&m.appid, &m.token).await.unwrap().len(), 40);
    e.c.wxa_unbind_tester(&m.appid, &m.token, &TesterRef::Userstr(userstr))
        .await
        .unwrap();
    assert_eq!(
        e.sb.scan_experience(&m.appid, "tester_001").unwrap().result,
        "refused"
    );
    e.c.wxa_unbind_tester(
        &m.appid,
        &m.token,
        &TesterRef::WechatId("tester_002".into()),
    )
    .await
    .unwrap();
    assert_eq!(e.c.wxa_testers(&m.appid, &m.token).await.unwrap().len(), 38);

    // A second commit replaces the experience version.
    e.c.wxa_commit(&m.appid, &m.token, &commit(t, &m.appid, "1.0.1"))
        .await
        .unwrap();
    let v = e.c.wxa_version_info(&m.appid, &m.token).await.unwrap();
    assert_eq!(v.exp_info.unwrap().exp_version, "1.0.1");
    assert!(v.release_info.is_none());
    let info = e.c.account_basic_info(&m.appid, &m.token).await.unwrap();
    assert!(info.display_nickname().contains("Sandbox MP"));
    assert!(!info.head_image_url().is_empty());
}

#[tokio::test]
async fn privacy_guide_and_interfaces() {
    let e = env().await;
    let m = e.merchant().await;
    let t = e.template().await;
    e.c.wxa_commit(&m.appid, &m.token, &commit(t, &m.appid, "1.0.0"))
        .await
        .unwrap();
    let before =
        e.c.wxa_get_privacy(&m.appid, &m.token, Some(2))
            .await
            .unwrap();
    assert!(before.code_exist);
    assert_eq!(before.undeclared(), ["UserInfo"]);
    assert_eq!(
        errcode(
            e.c.wxa_set_privacy(&m.appid, &m.token, &guide(&["NoSuchKey"]))
                .await
        ),
        40097
    );
    let media =
        e.c.wxa_upload_privacy_file(
            &m.appid,
            &m.token,
            "补充说明.txt",
            "我们如何处理数据".as_bytes().to_vec(),
        )
        .await
        .unwrap();
    assert!(!media.is_empty());
    let mut g = guide(&["UserInfo", "Location"]);
    g.owner_setting.ext_file_media_id = Some(media);
    e.c.wxa_set_privacy(&m.appid, &m.token, &g).await.unwrap();
    let after = e.c.wxa_get_privacy(&m.appid, &m.token, None).await.unwrap();
    assert!(after.undeclared().is_empty());
    assert_eq!(after.setting_list.len(), 2);
    assert!(after.setting_list[0].privacy_label.is_some());
    assert_eq!(after.owner_setting.notice_method, "弹窗提醒");
    g.owner_setting.ext_file_media_id = Some("unknown-media".into());
    assert_eq!(
        errcode(e.c.wxa_set_privacy(&m.appid, &m.token, &g).await),
        40007
    );

    let list =
        e.c.wxa_privacy_interfaces(&m.appid, &m.token)
            .await
            .unwrap();
    let loc = list
        .iter()
        .find(|i| i.api_name == "wx.getLocation")
        .unwrap();
    assert_eq!(loc.status, 1);
    let app = PrivacyInterfaceApplication {
        api_name: "wx.getLocation".into(),
        content: "门店导航需要当前位置".into(),
        ..Default::default()
    };
    let id =
        e.c.wxa_apply_privacy_interface(&m.appid, &m.token, &app)
            .await
            .unwrap();
    assert!(id > 0);
    let list =
        e.c.wxa_privacy_interfaces(&m.appid, &m.token)
            .await
            .unwrap();
    let loc = list
        .iter()
        .find(|i| i.api_name == "wx.getLocation")
        .unwrap();
    assert_eq!((loc.status, loc.audit_id), (3, Some(id)));
    e.sb.advance_clock(Duration::from_secs(61));
    let list =
        e.c.wxa_privacy_interfaces(&m.appid, &m.token)
            .await
            .unwrap();
    assert!(list
        .iter()
        .find(|i| i.api_name == "wx.getLocation")
        .unwrap()
        .granted());
}

/// A tiny valid PNG (1×1 white pixel).
fn tiny_png() -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, 1, 1);
        enc.set_color(png::ColorType::Grayscale);
        enc.set_depth(png::BitDepth::Eight);
        let mut w = enc.write_header().unwrap();
        w.write_image_data(&[255]).unwrap();
    }
    out
}

#[tokio::test]
async fn audits_one_at_a_time_with_quota_speedup_and_withdraw_limits() {
    let e = env().await;
    let m = e.merchant().await;
    let t = e.template().await;
    assert_eq!(
        errcode(
            e.c.wxa_submit_audit(&m.appid, &m.token, &SubmitAuditRequest::default())
                .await
        ),
        85086,
        "no code committed"
    );
    e.ready(&m, t, "1.0.0").await;
    let quota = e.c.wxa_audit_quota(&m.appid, &m.token).await.unwrap();
    assert_eq!((quota.rest, quota.limit), (20, 20));

    let media =
        e.c.wxa_upload_audit_media(&m.appid, &m.token, "home.png", "image/png", tiny_png())
            .await
            .unwrap();
    assert_eq!(media.kind, "image");
    assert_eq!(
        invalid_field(
            e.c.wxa_upload_audit_media(
                &m.appid,
                &m.token,
                "a.exe",
                "application/x-msdownload",
                vec![1]
            )
            .await
        ),
        "content_type"
    );
    let cats = e.c.wxa_categories(&m.appid, &m.token).await.unwrap();
    let item = AuditItem {
        address: Some("pages/index/index".into()),
        tag: Some("工具 效率".into()),
        first_class: Some(cats[0].first_class.clone()),
        second_class: Some(cats[0].second_class.clone()),
        first_id: Some(cats[0].first_id),
        second_id: Some(cats[0].second_id),
        title: Some("首页".into()),
        ..Default::default()
    };
    let bad_item = AuditItem {
        address: Some("pages/nowhere/nowhere".into()),
        ..item.clone()
    };
    let with = |items: Vec<AuditItem>| SubmitAuditRequest {
        item_list: items,
        preview_info: Some(PreviewInfo {
            pic_id_list: vec![media.mediaid.clone()],
            video_id_list: vec![],
        }),
        feedback_info: Some("测试账号：demo / demo".into()),
        feedback_stuff: Some(media.mediaid.clone()),
        privacy_api_not_use: Some(true),
        order_path: Some("pages/detail/detail".into()),
        ..Default::default()
    };
    assert_eq!(
        errcode(
            e.c.wxa_submit_audit(&m.appid, &m.token, &with(vec![bad_item]))
                .await
        ),
        85007
    );
    let auditid =
        e.c.wxa_submit_audit(&m.appid, &m.token, &with(vec![item.clone()]))
            .await
            .unwrap();
    assert!(auditid > 0);
    assert_eq!(
        errcode(
            e.c.wxa_submit_audit(&m.appid, &m.token, &with(vec![item.clone()]))
                .await
        ),
        85009,
        "one audit at a time"
    );
    let s =
        e.c.wxa_audit_status(&m.appid, &m.token, auditid)
            .await
            .unwrap();
    assert_eq!((s.state(), s.auditid), (AuditState::Auditing, auditid));
    let latest =
        e.c.wxa_latest_audit_status(&m.appid, &m.token)
            .await
            .unwrap();
    assert_eq!(
        (latest.auditid, latest.user_version.as_str()),
        (auditid, "1.0.0")
    );
    assert_eq!(
        errcode(
            e.c.wxa_audit_status(&m.appid, &m.token, auditid + 1000)
                .await
        ),
        85012
    );
    let quota = e.c.wxa_audit_quota(&m.appid, &m.token).await.unwrap();
    assert_eq!((quota.rest, quota.speedup_rest), (19, 1));

    e.c.wxa_speedup_audit(&m.appid, &m.token, auditid)
        .await
        .unwrap();
    assert_eq!(
        errcode(e.c.wxa_speedup_audit(&m.appid, &m.token, auditid).await),
        89404
    );

    // Withdraw: once a day.
    e.c.wxa_undo_audit(&m.appid, &m.token).await.unwrap();
    let s =
        e.c.wxa_audit_status(&m.appid, &m.token, auditid)
            .await
            .unwrap();
    assert_eq!(s.state(), AuditState::Withdrawn);
    assert_eq!(
        errcode(e.c.wxa_undo_audit(&m.appid, &m.token).await),
        85019,
        "nothing to withdraw"
    );
    let second =
        e.c.wxa_submit_audit(&m.appid, &m.token, &with(vec![item.clone()]))
            .await
            .unwrap();
    assert_eq!(errcode(e.c.wxa_undo_audit(&m.appid, &m.token).await), 87013);
    assert_eq!(
        errcode(e.c.wxa_speedup_audit(&m.appid, &m.token, second).await),
        89405,
        "one speed-up a month"
    );
    e.sb.advance_clock(Duration::from_secs(3601));
    let s =
        e.c.wxa_audit_status(&m.appid, &m.token, second)
            .await
            .unwrap();
    assert_eq!(
        s.state(),
        AuditState::Success,
        "an hour of virtual time passed"
    );
    assert_eq!(errcode(e.c.wxa_undo_audit(&m.appid, &m.token).await), 85019);

    // Quota exhausted, and a profile without nickname.
    e.sb.set_submit_quota(&m.appid, 0).unwrap();
    assert_eq!(
        errcode(
            e.c.wxa_submit_audit(&m.appid, &m.token, &SubmitAuditRequest::default())
                .await
        ),
        85085
    );
    e.sb.set_submit_quota(&m.appid, 5).unwrap();
    e.sb.patch_profile(ProfilePatch {
        appid: m.appid.clone(),
        nick_name: Some(String::new()),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(
        errcode(
            e.c.wxa_submit_audit(&m.appid, &m.token, &SubmitAuditRequest::default())
                .await
        ),
        86002
    );
}

#[tokio::test]
async fn audits_end_as_planned_and_reviewers_reject_undeclared_privacy() {
    let e = env().await;
    let m = e.merchant().await;
    let t = e.template().await;
    e.ready(&m, t, "1.0.0").await;
    e.sb.set_next_audit(
        Some(&m.appid),
        AuditPlan {
            reason: Some("页面内容不完整".into()),
            screenshots: 2,
            ..plan(AuditOutcome::Fail, 120)
        },
    )
    .unwrap();
    let id =
        e.c.wxa_submit_audit(&m.appid, &m.token, &SubmitAuditRequest::default())
            .await
            .unwrap();
    e.sb.advance_clock(Duration::from_secs(119));
    assert_eq!(
        e.c.wxa_audit_status(&m.appid, &m.token, id)
            .await
            .unwrap()
            .state(),
        AuditState::Auditing
    );
    e.sb.advance_clock(Duration::from_secs(2));
    let s =
        e.c.wxa_latest_audit_status(&m.appid, &m.token)
            .await
            .unwrap();
    assert_eq!(s.state(), AuditState::Rejected);
    assert_eq!(s.reason, "页面内容不完整");
    assert_eq!(s.screenshots().len(), 2);

    // Delay, then success, with the global plan.
    e.sb.set_next_audit(
        None,
        AuditPlan {
            then_secs: 100,
            ..plan(AuditOutcome::Delay, 10)
        },
    )
    .unwrap();
    let id =
        e.c.wxa_submit_audit(&m.appid, &m.token, &SubmitAuditRequest::default())
            .await
            .unwrap();
    e.sb.advance_clock(Duration::from_secs(11));
    let s = e.c.wxa_audit_status(&m.appid, &m.token, id).await.unwrap();
    assert_eq!(s.state(), AuditState::Delayed);
    assert!(!s.reason.is_empty());
    assert_eq!(
        errcode(
            e.c.wxa_submit_audit(&m.appid, &m.token, &SubmitAuditRequest::default())
                .await
        ),
        85009,
        "a delayed audit still blocks"
    );
    e.sb.advance_clock(Duration::from_secs(100));
    assert_eq!(
        e.c.wxa_audit_status(&m.appid, &m.token, id)
            .await
            .unwrap()
            .state(),
        AuditState::Success
    );

    // Code using a key the guide does not declare is rejected whatever the plan.
    e.sb.set_next_audit(None, plan(AuditOutcome::Success, 10))
        .unwrap();
    e.c.wxa_set_privacy(&m.appid, &m.token, &guide(&["Location"]))
        .await
        .unwrap();
    let id =
        e.c.wxa_submit_audit(&m.appid, &m.token, &SubmitAuditRequest::default())
            .await
            .unwrap();
    e.sb.advance_clock(Duration::from_secs(11));
    let s = e.c.wxa_audit_status(&m.appid, &m.token, id).await.unwrap();
    assert_eq!(s.state(), AuditState::Rejected);
    assert!(s.reason.contains("UserInfo"), "{}", s.reason);
}

#[tokio::test]
async fn release_only_after_audit_revert_only_once_and_gray_percentages() {
    let e = env().await;
    let m = e.merchant().await;
    let t = e.template().await;
    e.sb.set_next_audit(None, plan(AuditOutcome::Success, 60))
        .unwrap();
    e.ready(&m, t, "1.0.0").await;
    assert_eq!(
        errcode(e.c.wxa_release(&m.appid, &m.token).await),
        85019,
        "never audited"
    );
    e.c.wxa_submit_audit(&m.appid, &m.token, &SubmitAuditRequest::default())
        .await
        .unwrap();
    assert_eq!(
        errcode(e.c.wxa_release(&m.appid, &m.token).await),
        85020,
        "still auditing"
    );
    e.sb.advance_clock(Duration::from_secs(61));
    e.c.wxa_release(&m.appid, &m.token).await.unwrap();
    assert_eq!(errcode(e.c.wxa_release(&m.appid, &m.token).await), 85052);
    assert_eq!(
        errcode(e.c.wxa_revert_release(&m.appid, &m.token, None).await),
        87012
    );
    assert!(e
        .c
        .wxa_release_history(&m.appid, &m.token)
        .await
        .unwrap()
        .is_empty());
    let v = e.c.wxa_version_info(&m.appid, &m.token).await.unwrap();
    assert_eq!(v.release_info.unwrap().release_version, "1.0.0");

    // Version 2: phased release first.
    e.c.wxa_commit(&m.appid, &m.token, &commit(t, &m.appid, "2.0.0"))
        .await
        .unwrap();
    let gray = |p| GrayRelease {
        gray_percentage: p,
        support_experiencer_first: true,
        support_debuger_first: false,
    };
    e.c.wxa_submit_audit(&m.appid, &m.token, &SubmitAuditRequest::default())
        .await
        .unwrap();
    assert_eq!(
        errcode(e.c.wxa_gray_release(&m.appid, &m.token, &gray(10)).await),
        85080
    );
    e.sb.advance_clock(Duration::from_secs(61));
    e.c.wxa_gray_release(&m.appid, &m.token, &gray(10))
        .await
        .unwrap();
    assert_eq!(
        errcode(e.c.wxa_gray_release(&m.appid, &m.token, &gray(5)).await),
        85082
    );
    assert_eq!(
        invalid_field(e.c.wxa_gray_release(&m.appid, &m.token, &gray(101)).await),
        "gray_percentage"
    );
    e.c.wxa_gray_release(&m.appid, &m.token, &gray(30))
        .await
        .unwrap();
    let p =
        e.c.wxa_gray_release_plan(&m.appid, &m.token)
            .await
            .unwrap()
            .unwrap();
    assert_eq!(
        (p.status, p.gray_percentage, p.support_experiencer_first),
        (1, 30, true)
    );
    assert_eq!(
        errcode(e.c.wxa_revert_release(&m.appid, &m.token, None).await),
        87011
    );
    e.c.wxa_revert_gray_release(&m.appid, &m.token)
        .await
        .unwrap();
    let p =
        e.c.wxa_gray_release_plan(&m.appid, &m.token)
            .await
            .unwrap()
            .unwrap();
    assert_eq!(p.status, 4);
    e.c.wxa_release(&m.appid, &m.token).await.unwrap();

    // Roll back to 1.0.0, once.
    let history = e.c.wxa_release_history(&m.appid, &m.token).await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].user_version, "1.0.0");
    assert_eq!(
        errcode(
            e.c.wxa_revert_release(&m.appid, &m.token, Some(history[0].app_version + 1))
                .await
        ),
        87012
    );
    e.c.wxa_revert_release(&m.appid, &m.token, Some(history[0].app_version))
        .await
        .unwrap();
    let v = e.c.wxa_version_info(&m.appid, &m.token).await.unwrap();
    assert_eq!(v.release_info.unwrap().release_version, "1.0.0");
    assert_eq!(
        errcode(e.c.wxa_revert_release(&m.appid, &m.token, None).await),
        87012
    );

    e.c.wxa_change_visit_status(&m.appid, &m.token, VisitStatus::Close)
        .await
        .unwrap();
    assert_eq!(
        errcode(
            e.c.wxa_change_visit_status(&m.appid, &m.token, VisitStatus::Close)
                .await
        ),
        85021
    );
    e.c.wxa_change_visit_status(&m.appid, &m.token, VisitStatus::Open)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_submission_is_never_replayed_but_a_status_read_is() {
    let e = env().await;
    let m = e.merchant().await;
    let t = e.template().await;
    e.ready(&m, t, "1.0.0").await;
    let busy = FaultKind::Errcode {
        errcode: -1,
        errmsg: "system error".into(),
    };
    e.sb.set_fault(Fault::new("wxa/submit_audit", busy.clone()).times(1));
    e.sb.reset_counters();
    assert_eq!(
        errcode(
            e.c.wxa_submit_audit(&m.appid, &m.token, &SubmitAuditRequest::default())
                .await
        ),
        -1
    );
    assert_eq!(e.sb.counter("wxa/submit_audit"), 1, "never sent twice");
    e.sb.set_fault(Fault::new("wxa/commit", busy.clone()).times(1));
    assert_eq!(
        errcode(
            e.c.wxa_commit(&m.appid, &m.token, &commit(t, &m.appid, "1.0.1"))
                .await
        ),
        -1
    );
    assert_eq!(e.sb.counter("wxa/commit"), 1);
    let id =
        e.c.wxa_submit_audit(&m.appid, &m.token, &SubmitAuditRequest::default())
            .await
            .unwrap();
    e.sb.set_fault(Fault::new("wxa/get_auditstatus", busy).times(1));
    e.c.wxa_audit_status(&m.appid, &m.token, id).await.unwrap();
    assert_eq!(
        e.sb.counter("wxa/get_auditstatus"),
        2,
        "a read is retried once"
    );
}
