//! The decrypted push message: every InfoType of §5.2, with and without
//! CDATA, nested `<info>`, non-XML text, hostile XML, and build/parse round
//! trips.

use serde_json::json;
use wxdesk_wechat::push_message::{build_message, parse_message, PushEvent, PushMessage};
use wxdesk_wechat::CryptoError;

/// Removes the CDATA wrappers, producing the plain-text form of the same message.
fn without_cdata(xml: &str) -> String {
    xml.replace("<![CDATA[", "").replace("]]>", "")
}

/// Parses both the CDATA and the plain form, checks they agree, returns one.
fn parse_both(xml: &str) -> PushMessage {
    assert!(xml.contains("<![CDATA["), "test input should use CDATA");
    let a = parse_message(xml).unwrap_or_else(|e| panic!("{e}: {xml}"));
    let b = parse_message(&without_cdata(xml)).unwrap_or_else(|e| panic!("{e}: plain form"));
    assert_eq!(a, b, "CDATA and plain forms differ");
    a
}

#[test]
fn component_verify_ticket() {
    let m = parse_both("<xml><AppId><![CDATA[wx134c8103faa5a59e]]></AppId><CreateTime>1413192605</CreateTime><InfoType><![CDATA[component_verify_ticket]]></InfoType><ComponentVerifyTicket><![CDATA[ticket@@@BJK2yMRA]]></ComponentVerifyTicket></xml>");
    assert_eq!(m.app_id.as_deref(), Some("wx134c8103faa5a59e"));
    assert_eq!(m.create_time, Some(1_413_192_605));
    assert_eq!(m.info_type.as_deref(), Some("component_verify_ticket"));
    assert_eq!(
        m.event,
        PushEvent::ComponentVerifyTicket {
            ticket: "ticket@@@BJK2yMRA".into()
        }
    );
    assert_eq!(m.fields["ComponentVerifyTicket"], "ticket@@@BJK2yMRA");
    assert_eq!(m.fields["AppId"], "wx134c8103faa5a59e");
    // The doc's own example has no CDATA at all.
    let doc = parse_message("<xml><AppId>some_appid</AppId><CreateTime>1413192605</CreateTime><InfoType>component_verify_ticket</InfoType><ComponentVerifyTicket>some_verify_ticket</ComponentVerifyTicket></xml>").unwrap();
    assert_eq!(
        doc.event,
        PushEvent::ComponentVerifyTicket {
            ticket: "some_verify_ticket".into()
        }
    );
}

#[test]
fn authorized_and_updateauthorized() {
    for (kind, relative) in [("authorized", false), ("updateauthorized", true)] {
        let expiry = if relative { "600" } else { "1413196360" };
        let xml = format!(
            "<xml>\n  <AppId><![CDATA[wxplatform]]></AppId>\n  <CreateTime>1413192760</CreateTime>\n  <InfoType><![CDATA[{kind}]]></InfoType>\n  <AuthorizerAppid><![CDATA[wxauthorizer]]></AuthorizerAppid>\n  <AuthorizationCode><![CDATA[queryauthcode@@@xyz]]></AuthorizationCode>\n  <AuthorizationCodeExpiredTime>{expiry}</AuthorizationCodeExpiredTime>\n  <PreAuthCode><![CDATA[preauthcode@@@abc]]></PreAuthCode>\n</xml>"
        );
        let m = parse_both(&xml);
        let notice = match (&m.event, kind) {
            (PushEvent::Authorized(n), "authorized") => n.clone(),
            (PushEvent::UpdateAuthorized(n), "updateauthorized") => n.clone(),
            (other, _) => panic!("{kind}: got {other:?}"),
        };
        assert_eq!(notice.authorizer_appid, "wxauthorizer");
        assert_eq!(notice.authorization_code, "queryauthcode@@@xyz");
        assert_eq!(notice.pre_auth_code.as_deref(), Some("preauthcode@@@abc"));
        let expires = notice.code_expires_at(m.create_time, 0);
        assert_eq!(
            expires,
            Some(if relative {
                1_413_193_360
            } else {
                1_413_196_360
            })
        );
    }
    // The doc example literally says "过期时间": kept as unknown, not an error.
    let m = parse_message("<xml><AppId>第三方平台appid</AppId><CreateTime>1413192760</CreateTime><InfoType>authorized</InfoType><AuthorizerAppid>公众号appid</AuthorizerAppid><AuthorizationCode>授权码</AuthorizationCode><AuthorizationCodeExpiredTime>过期时间</AuthorizationCodeExpiredTime><PreAuthCode>预授权码</PreAuthCode></xml>").unwrap();
    match m.event {
        PushEvent::Authorized(n) => {
            assert_eq!(n.authorizer_appid, "公众号appid");
            assert_eq!(n.authorization_code_expired_time, None);
            assert_eq!(n.code_expires_at(m.create_time, 0), None);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn unauthorized() {
    let m = parse_both("<xml><AppId><![CDATA[wxplatform]]></AppId><CreateTime>1413192760</CreateTime><InfoType><![CDATA[unauthorized]]></InfoType><AuthorizerAppid><![CDATA[wxgone]]></AuthorizerAppid></xml>");
    assert_eq!(
        m.event,
        PushEvent::Unauthorized {
            authorizer_appid: "wxgone".into()
        }
    );
}

#[test]
fn fast_register_enterprise_with_nested_info() {
    let xml = "<xml>\n  <AppId><![CDATA[wxplatform]]></AppId>\n  <CreateTime>1535442403</CreateTime>\n  <InfoType><![CDATA[notify_third_fasteregister]]></InfoType>\n  <appid><![CDATA[wxnewmp]]></appid>\n  <status>0</status>\n  <auth_code><![CDATA[authcode123]]></auth_code>\n  <msg><![CDATA[OK]]></msg>\n  <info>\n    <name><![CDATA[企业名称]]></name>\n    <code><![CDATA[91440300MA5EXAMPLE]]></code>\n    <code_type>1</code_type>\n    <legal_persona_wechat><![CDATA[legalwx]]></legal_persona_wechat>\n    <legal_persona_name><![CDATA[张三]]></legal_persona_name>\n    <component_phone><![CDATA[1234567]]></component_phone>\n  </info>\n</xml>";
    let m = parse_both(xml);
    let PushEvent::FastRegister(n) = &m.event else {
        panic!("{:?}", m.event)
    };
    assert_eq!(n.appid.as_deref(), Some("wxnewmp"));
    assert_eq!(n.status, 0);
    assert_eq!(n.auth_code.as_deref(), Some("authcode123"));
    assert_eq!(n.msg.as_deref(), Some("OK"));
    assert_eq!(n.info["name"], "企业名称");
    assert_eq!(n.info["code_type"], "1");
    assert_eq!(n.info["legal_persona_name"], "张三");
    // Nested elements are nested objects in `fields` too; both appid spellings are kept apart.
    assert_eq!(m.fields["info"]["legal_persona_wechat"], "legalwx");
    assert_eq!(m.fields["appid"], "wxnewmp");
    assert_eq!(m.fields["AppId"], "wxplatform");
}

#[test]
fn fast_register_personal_failure_status() {
    let m = parse_both("<xml><AppId><![CDATA[wxplatform]]></AppId><CreateTime>1535442403</CreateTime><InfoType><![CDATA[notify_third_fasteregister]]></InfoType><status><![CDATA[-1]]></status><msg><![CDATA[name not match]]></msg><info><wxuser><![CDATA[wxid_abc]]></wxuser><idname><![CDATA[李四]]></idname><component_phone><![CDATA[1234567]]></component_phone></info></xml>");
    let PushEvent::FastRegister(n) = &m.event else {
        panic!("{:?}", m.event)
    };
    assert_eq!(n.status, -1);
    assert_eq!(n.appid, None);
    assert_eq!(n.auth_code, None);
    assert_eq!(n.info["wxuser"], "wxid_abc");
    assert_eq!(n.info["idname"], "李四");
}

#[test]
fn fast_register_beta() {
    let m = parse_both("<xml><AppId><![CDATA[wxplatform]]></AppId><CreateTime>1600000000</CreateTime><InfoType><![CDATA[notify_third_fastregisterbetaapp]]></InfoType><appid><![CDATA[wxtrial]]></appid><status>0</status><msg><![CDATA[OK]]></msg><info><unique_id><![CDATA[BV8ToNpYUMSeoRgsDi7]]></unique_id><name><![CDATA[小麦烤鸡]]></name></info></xml>");
    let PushEvent::FastRegisterBeta(n) = &m.event else {
        panic!("{:?}", m.event)
    };
    assert_eq!(n.appid.as_deref(), Some("wxtrial"));
    assert_eq!(n.status, 0);
    assert_eq!(n.msg.as_deref(), Some("OK"));
    assert_eq!(n.unique_id.as_deref(), Some("BV8ToNpYUMSeoRgsDi7"));
    assert_eq!(n.name.as_deref(), Some("小麦烤鸡"));
}

#[test]
fn missing_required_fields_are_named() {
    for (xml, field) in [
        (
            "<xml><InfoType>component_verify_ticket</InfoType></xml>",
            "ComponentVerifyTicket",
        ),
        (
            "<xml><InfoType>authorized</InfoType><AuthorizerAppid>wx</AuthorizerAppid></xml>",
            "AuthorizationCode",
        ),
        (
            "<xml><InfoType>unauthorized</InfoType></xml>",
            "AuthorizerAppid",
        ),
        (
            "<xml><InfoType>notify_third_fasteregister</InfoType></xml>",
            "status",
        ),
        (
            "<xml><InfoType>notify_third_fastregisterbetaapp</InfoType><status>x</status></xml>",
            "status",
        ),
    ] {
        match parse_message(xml) {
            Err(CryptoError::Xml(m)) => assert!(m.contains(field), "{field}: {m}"),
            other => panic!("{xml}: {other:?}"),
        }
    }
}

#[test]
fn msgtype_messages_and_unknown_infotypes() {
    let m = parse_both("<xml><ToUserName><![CDATA[gh_97417a04a28d]]></ToUserName><FromUserName><![CDATA[o9AgO5Kd]]></FromUserName><CreateTime>1715943329</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[weapp_audit_success]]></Event><SuccTime>1715943329</SuccTime></xml>");
    assert_eq!(m.info_type, None);
    assert_eq!(m.event, PushEvent::Other);
    assert_eq!(m.fields["Event"], "weapp_audit_success");
    assert_eq!(m.fields.len(), 6);

    let m = parse_both("<xml><AppId><![CDATA[wx]]></AppId><InfoType><![CDATA[notify_something_new]]></InfoType><x><![CDATA[1]]></x></xml>");
    assert_eq!(m.info_type.as_deref(), Some("notify_something_new"));
    assert_eq!(m.event, PushEvent::Other);
    assert_eq!(m.fields["x"], "1");
}

#[test]
fn non_xml_text_is_not_an_error() {
    for text in [
        "5927782489442352469",
        "success",
        "",
        "  \n",
        "{\"json\":true}",
    ] {
        let m = parse_message(text).unwrap();
        assert_eq!(m.info_type, None);
        assert!(m.fields.is_empty());
        assert_eq!(m.event, PushEvent::Other);
    }
}

const BILLION_LAUGHS: &str = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<xml><InfoType>component_verify_ticket</InfoType><ComponentVerifyTicket>&lol9;</ComponentVerifyTicket></xml>"#;

const EXTERNAL_ENTITY: &str = r#"<?xml version="1.0"?>
<!DOCTYPE xml [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<xml><InfoType>component_verify_ticket</InfoType><ComponentVerifyTicket>&xxe;</ComponentVerifyTicket></xml>"#;

#[test]
fn doctype_and_entities_are_rejected() {
    for (name, xml) in [
        ("billion laughs", BILLION_LAUGHS),
        ("external entity", EXTERNAL_ENTITY),
        ("bare doctype", "<!DOCTYPE xml><xml><a>1</a></xml>"),
        ("lowercase doctype", "<!doctype xml><xml><a>1</a></xml>"),
        (
            "entity without doctype",
            "<xml><!ENTITY x \"y\"><a>&x;</a></xml>",
        ),
        ("undefined entity", "<xml><a>&x;</a></xml>"),
    ] {
        match parse_message(xml) {
            Err(CryptoError::Xml(m)) => {
                let expected = if name == "undefined entity" {
                    "entity"
                } else {
                    "not accepted"
                };
                assert!(m.contains(expected), "{name}: {m}");
            }
            other => panic!("{name}: expected an XML error, got {other:?}"),
        }
    }
    // Predefined entities and character references are still fine.
    let m = parse_message("<xml><a>&lt;&gt;&amp;&quot;&apos;&#20013;&#x6587;</a></xml>").unwrap();
    assert_eq!(m.fields["a"], "<>&\"'中文");
}

#[test]
fn build_message_round_trips_every_infotype() {
    let cases: Vec<(&str, Vec<(&str, &str)>)> = vec![
        (
            "component_verify_ticket",
            vec![("ComponentVerifyTicket", "ticket@@@x]]>y")],
        ),
        (
            "authorized",
            vec![
                ("AuthorizerAppid", "wxa"),
                ("AuthorizationCode", "code"),
                ("AuthorizationCodeExpiredTime", "1700003600"),
                ("PreAuthCode", "pre"),
            ],
        ),
        (
            "updateauthorized",
            vec![("AuthorizerAppid", "wxa"), ("AuthorizationCode", "code")],
        ),
        ("unauthorized", vec![("AuthorizerAppid", "wxa")]),
        (
            "notify_third_fasteregister",
            vec![
                ("appid", "wxnew"),
                ("status", "0"),
                ("auth_code", "ac"),
                ("msg", "OK"),
                ("info.name", "企业 & <名称>"),
                ("info.code", "123"),
                ("info.code_type", "1"),
            ],
        ),
        (
            "notify_third_fastregisterbetaapp",
            vec![
                ("appid", "wxtrial"),
                ("status", "0"),
                ("msg", "ok"),
                ("info.unique_id", "u1"),
                ("info.name", "n"),
            ],
        ),
    ];
    for (info_type, fields) in cases {
        let xml = build_message("wxplatform", 1_700_000_000, info_type, &fields);
        assert!(
            xml.starts_with(
                "<xml><AppId><![CDATA[wxplatform]]></AppId><CreateTime>1700000000</CreateTime>"
            ),
            "{xml}"
        );
        let m = parse_message(&xml).unwrap_or_else(|e| panic!("{info_type}: {e}: {xml}"));
        assert_eq!(m.info_type.as_deref(), Some(info_type));
        assert_eq!(m.app_id.as_deref(), Some("wxplatform"));
        assert_eq!(m.create_time, Some(1_700_000_000));
        assert_ne!(m.event, PushEvent::Other, "{info_type}");
        for (name, value) in &fields {
            let got = match name.split_once('.') {
                Some((parent, child)) => &m.fields[parent][child],
                None => &m.fields[*name],
            };
            assert_eq!(got, value, "{info_type}.{name}");
        }
    }
    let xml = build_message(
        "wx",
        1,
        "component_verify_ticket",
        &[("ComponentVerifyTicket", "a]]>b")],
    );
    match parse_message(&xml).unwrap().event {
        PushEvent::ComponentVerifyTicket { ticket } => assert_eq!(ticket, "a]]>b"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn events_serialize_snake_case() {
    let xml = build_message(
        "wx",
        1,
        "authorized",
        &[
            ("AuthorizerAppid", "wxa"),
            ("AuthorizationCode", "c"),
            ("AuthorizationCodeExpiredTime", "600"),
        ],
    );
    let m = parse_message(&xml).unwrap();
    let v = serde_json::to_value(&m).unwrap();
    assert_eq!(v["info_type"], "authorized");
    assert_eq!(
        v["event"],
        json!({"type": "authorized", "authorizer_appid": "wxa", "authorization_code": "c",
               "authorization_code_expired_time": 600, "pre_auth_code": null})
    );
    assert_eq!(v["fields"]["AuthorizerAppid"], "wxa");
}
