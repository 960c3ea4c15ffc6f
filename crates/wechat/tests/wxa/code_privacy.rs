//! Commits, pages, categories, the experience QR, testers and the privacy guide.

use std::time::Duration;

use wxdesk_wechat::api::wxa_code::CommitRequest;
use wxdesk_wechat::api::wxa_member::TesterRef;
use wxdesk_wechat::api::wxa_privacy::{PrivacyInterface, PrivacyInterfaceApplication};

use crate::common::*;

pub fn decode_png(bytes: &[u8]) -> String {
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
    e.commit(&m, t, "1.0.0").await;
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
    e.commit(&m, t, "1.0.1").await;
    let v = e.c.wxa_version_info(&m.appid, &m.token).await.unwrap();
    assert_eq!(v.exp_info.unwrap().exp_version, "1.0.1");
    assert!(v.release_info.is_none());
    let info = e.c.account_basic_info(&m.appid, &m.token).await.unwrap();
    assert!(info.display_nickname().contains("Sandbox MP"));
    assert!(!info.head_image_url().is_empty());
}

/// `wx.getLocation` in `m`'s list of privacy interfaces.
async fn location_interface(e: &Env, m: &Merchant) -> PrivacyInterface {
    let list =
        e.c.wxa_privacy_interfaces(&m.appid, &m.token)
            .await
            .unwrap();
    list.into_iter()
        .find(|i| i.api_name == "wx.getLocation")
        .unwrap()
}

#[tokio::test]
async fn privacy_guide_and_interfaces() {
    let e = env().await;
    let m = e.merchant().await;
    let t = e.template().await;
    e.commit(&m, t, "1.0.0").await;
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

    let loc = location_interface(&e, &m).await;
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
    let loc = location_interface(&e, &m).await;
    assert_eq!((loc.status, loc.audit_id), (3, Some(id)));
    e.sb.advance_clock(Duration::from_secs(61));
    assert!(location_interface(&e, &m).await.granted());
}

#[tokio::test]
async fn an_unverified_mini_program_binds_15_testers() {
    let e = env().await;
    let m = e.merchant().await;
    e.sb.patch_profile(wxdesk_sandbox::ProfilePatch {
        appid: m.appid.clone(),
        verify_type: Some(-1),
        ..Default::default()
    })
    .unwrap();
    for i in 1..=15 {
        e.c.wxa_bind_tester(&m.appid, &m.token, &format!("tester_{i:03}"))
            .await
            .unwrap();
    }
    assert_eq!(
        errcode(e.c.wxa_bind_tester(&m.appid, &m.token, "tester_016").await),
        85002
    );
}

#[derive(Default)]
struct Records(std::sync::Mutex<Vec<wxdesk_wechat::CallRecord>>);

impl wxdesk_wechat::CallObserver for Records {
    fn record(&self, record: wxdesk_wechat::CallRecord) {
        self.0.lock().unwrap().push(record);
    }
}

#[tokio::test]
async fn image_and_upload_calls_are_logged_without_the_token_or_the_bytes() {
    let e = env().await;
    let m = e.merchant().await;
    let t = e.template().await;
    e.commit(&m, t, "1.0.0").await;
    let records = std::sync::Arc::new(Records::default());
    let c = e.c.with_observer(records.clone());
    c.wxa_experience_qr(&m.appid, &m.token, None).await.unwrap();
    c.wxa_upload_privacy_file(
        &m.appid,
        &m.token,
        "note.txt",
        b"secret-looking text".to_vec(),
    )
    .await
    .unwrap();
    let got = records.0.lock().unwrap().clone();
    assert_eq!(got.len(), 2);
    for r in &got {
        let logged = serde_json::to_string(r).unwrap();
        assert!(!logged.contains(&m.token), "token leaked: {logged}");
        assert_eq!(r.errcode, Some(0));
        assert_eq!(r.account.as_deref(), Some(m.appid.as_str()));
    }
    assert_eq!(got[0].endpoint, "wxa/get_qrcode");
    assert!(got[0]
        .response
        .as_deref()
        .unwrap()
        .contains("bytes of image/png"));
    assert_eq!(got[1].request["body"]["multipart"]["field"], "file");
    assert!(!serde_json::to_string(&got[1])
        .unwrap()
        .contains("secret-looking"));
}
