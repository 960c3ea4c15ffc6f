//! Platform calls: the component chain (ticket, token, pre-auth code, query,
//! refresh, info, list) and fast registration.

use std::time::Duration;

use wxdesk_sandbox::{AccountKind, AuthorizeSeed};
use wxdesk_wechat::api::fastregister::{
    BetaRegistration, EnterpriseRegistration, EnterpriseSearch, EnterpriseTaskState,
    PersonalRegistration,
};
use wxdesk_wechat::links::{fastregister_link, parse_callback, FastRegisterLinkParams};
use wxdesk_wechat::{Bases, Error};

use crate::common::*;
use crate::links::consent;

#[tokio::test]
async fn component_chain_ticket_token_preauth_query_refresh_info_list() {
    let sb = sandbox().await;
    let c = client(&sb);
    assert!(!c
        .start_push_ticket(COMP, COMP_SECRET)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        errcode(
            c.component_token(COMP, COMP_SECRET, "ticket@@@forged")
                .await
        ),
        61006
    );
    let old_ticket = sb.issue_ticket(COMP).unwrap();
    let cat = c
        .component_token(COMP, COMP_SECRET, &old_ticket)
        .await
        .unwrap();
    assert!(cat.expires_in > 0);
    let pre = c
        .create_pre_auth_code(COMP, &cat.component_access_token)
        .await
        .unwrap();
    assert!(pre.expires_in > 0 && !pre.pre_auth_code.is_empty());
    let pre2 = c
        .create_pre_auth_code(COMP, &cat.component_access_token)
        .await
        .unwrap();
    assert_ne!(pre.pre_auth_code, pre2.pre_auth_code);

    let auth = sb
        .authorize(AuthorizeSeed {
            component_appid: COMP.into(),
            authorizer_appid: None,
            kind: AccountKind::MiniProgram,
            func_ids: vec![17, 18],
        })
        .unwrap();
    let info = c
        .query_auth(COMP, &cat.component_access_token, &auth.auth_code)
        .await
        .unwrap();
    assert_eq!(info.authorizer_appid, auth.authorizer_appid);
    assert_eq!(
        wxdesk_wechat::api::FuncInfo::ids(&info.func_info),
        vec![17, 18]
    );
    let refresh = info.authorizer_refresh_token.clone().unwrap();
    assert_eq!(
        errcode(
            c.query_auth(COMP, &cat.component_access_token, &auth.auth_code)
                .await
        ),
        61009,
        "auth code is single use"
    );

    let t = c
        .authorizer_token(
            COMP,
            &cat.component_access_token,
            &auth.authorizer_appid,
            &refresh,
        )
        .await
        .unwrap();
    assert!(!t.authorizer_access_token.is_empty());
    let details = c
        .authorizer_info(COMP, &cat.component_access_token, &auth.authorizer_appid)
        .await
        .unwrap();
    assert!(
        details.authorizer_info.is_mini_program(),
        "MiniProgramInfo present for a mini program"
    );
    assert_eq!(
        details.authorization_info.authorizer_appid,
        auth.authorizer_appid
    );

    // Re-authorization rotates the refresh token; the old one answers 61023.
    let again = sb
        .authorize(AuthorizeSeed {
            component_appid: COMP.into(),
            authorizer_appid: Some(auth.authorizer_appid.clone()),
            kind: AccountKind::MiniProgram,
            func_ids: vec![],
        })
        .unwrap();
    assert_ne!(again.refresh_token, refresh);
    assert_eq!(
        errcode(
            c.authorizer_token(
                COMP,
                &cat.component_access_token,
                &auth.authorizer_appid,
                &refresh
            )
            .await
        ),
        61023
    );

    // An Official Account carries no MiniProgramInfo.
    let oa = authorize_new(&sb, AccountKind::OfficialAccount);
    let oa_info = c
        .authorizer_info(COMP, &cat.component_access_token, &oa.authorizer_appid)
        .await
        .unwrap();
    assert!(!oa_info.authorizer_info.is_mini_program());

    sb.seed_authorizers(COMP, 1200);
    let first = c
        .authorizer_list(COMP, &cat.component_access_token, 0, 500)
        .await
        .unwrap();
    assert_eq!(first.list.len(), 500);
    assert_eq!(first.total_count, 1202);
    let last = c
        .authorizer_list(COMP, &cat.component_access_token, 1000, 500)
        .await
        .unwrap();
    assert_eq!(last.list.len(), 202);
    assert!(matches!(
        c.authorizer_list(COMP, &cat.component_access_token, 0, 501)
            .await,
        Err(Error::InvalidInput { .. })
    ));

    // Tickets expire after 12 h: 61005.
    sb.advance_clock(Duration::from_secs(12 * 3600 + 60));
    assert_eq!(
        errcode(c.component_token(COMP, COMP_SECRET, &old_ticket).await),
        61005
    );
    // An expired component token answers 42001; an unknown one 40001.
    assert_eq!(
        errcode(
            c.create_pre_auth_code(COMP, &cat.component_access_token)
                .await
        ),
        42001
    );
    assert_eq!(
        errcode(c.create_pre_auth_code(COMP, "not-a-token").await),
        40001
    );
}

#[tokio::test]
async fn fast_registration_calls() {
    let sb = sandbox().await;
    let c = client(&sb);
    let cat = component_token(&c, &sb).await;
    let reg = EnterpriseRegistration {
        name: "腾讯计算机系统有限公司".into(),
        code: "91440300708461136T".into(),
        code_type: 1,
        legal_persona_wechat: "pony".into(),
        legal_persona_name: "马化腾".into(),
        component_phone: None,
    };
    c.fastregister_enterprise_create(COMP, &cat, &reg)
        .await
        .unwrap();
    assert_eq!(
        errcode(c.fastregister_enterprise_create(COMP, &cat, &reg).await),
        89249,
        "one running task per entity"
    );
    let search = EnterpriseSearch {
        name: reg.name.clone(),
        legal_persona_wechat: "pony".into(),
        legal_persona_name: "马化腾".into(),
    };
    let s = c
        .fastregister_enterprise_search(COMP, &cat, &search)
        .await
        .unwrap();
    assert_ne!(s.state, EnterpriseTaskState::NotFound);
    let missing = EnterpriseSearch {
        name: "不存在的公司".into(),
        ..search.clone()
    };
    assert_eq!(
        c.fastregister_enterprise_search(COMP, &cat, &missing)
            .await
            .unwrap()
            .state,
        EnterpriseTaskState::NotFound
    );
    let bad = EnterpriseRegistration {
        code: "123".into(),
        ..reg.clone()
    };
    match c.fastregister_enterprise_create(COMP, &cat, &bad).await {
        Err(Error::InvalidInput { field, .. }) => assert_eq!(field, "code"),
        other => panic!("{:?}", other.err()),
    }

    let p = c
        .fastregister_personal_create(
            COMP,
            &cat,
            &PersonalRegistration {
                idname: "张三".into(),
                wxuser: "zhangsan_wx".into(),
                component_phone: None,
            },
        )
        .await
        .unwrap();
    assert!(!p.taskid.is_empty() && p.authorize_url.starts_with(&sb.base_url()));
    let q = c
        .fastregister_personal_query(COMP, &cat, &p.taskid)
        .await
        .unwrap();
    assert_eq!(q.taskid, p.taskid);

    let b = c
        .fastregister_beta_create(
            COMP,
            &cat,
            &BetaRegistration {
                name: "小麦烤鸡店".into(),
                openid: "oK8Yg5YaUM-axuE_vVZmV_oIZxxx".into(),
            },
        )
        .await
        .unwrap();
    assert!(!b.unique_id.is_empty());
    assert!(matches!(
        c.fastregister_beta_create(
            COMP,
            &cat,
            &BetaRegistration {
                name: "鸡".into(),
                openid: "o1".into()
            }
        )
        .await,
        Err(Error::InvalidInput { .. })
    ));

    // Reuse of an Official Account: consent page -> ticket -> fastregister.
    let oa = authorize_new(&sb, AccountKind::OfficialAccount);
    let oa_info = c.query_auth(COMP, &cat, &oa.auth_code).await.unwrap();
    let oa_token = oa_info.authorizer_access_token.unwrap();
    let link = fastregister_link(
        &Bases::single(&sb.base_url()).unwrap(),
        &FastRegisterLinkParams {
            component_appid: COMP.into(),
            appid: oa.authorizer_appid.clone(),
            redirect_uri: "https://platform.example/fr?from=mp".into(),
            copy_wx_verify: true,
        },
    )
    .unwrap();
    let landed = consent(&link).await;
    assert!(
        landed.starts_with("https://platform.example/fr?from=mp&ticket="),
        "{landed}"
    );
    let ticket = parse_callback(&landed).unwrap().ticket.unwrap();
    let r = c
        .fastregister_from_official_account(&oa.authorizer_appid, &oa_token, &ticket)
        .await
        .unwrap();
    assert!(r.is_link_succ && !r.appid.is_empty() && !r.authorization_code.is_empty());
    assert_eq!(
        errcode(
            c.fastregister_from_official_account(&oa.authorizer_appid, &oa_token, &ticket)
                .await
        ),
        61058,
        "ticket is single use"
    );
}
