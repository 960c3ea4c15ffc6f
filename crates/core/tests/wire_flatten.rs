//! Argument structs that share a flattened part (`WxaTargetArgs` in every
//! mini-program operation, `ProfileInput` in `profile_set`) keep a flat wire
//! shape: the shared fields sit at the top level both ways, and unknown
//! fields are still rejected.

use serde_json::{json, Value};
use wxdesk_core::ops::batch_args::ProfileSetArgs;
use wxdesk_core::ops::wxa_args::{CodeQrArgs, ReleaseGrayArgs, WxaConfirmArgs};

const MP: &str = "wx0123456789abcdef";
const COMP: &str = "wxfedcba9876543210";

fn keys(v: &Value) -> Vec<&str> {
    let mut k: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    k.sort_unstable();
    k
}

#[test]
fn wxa_arguments_are_flat_both_ways_and_reject_unknown_fields() {
    let qr: CodeQrArgs = serde_json::from_value(
        json!({"appid": MP, "component_appid": COMP, "path": "pages/index/index"}),
    )
    .unwrap();
    assert_eq!(qr.target.appid, MP);
    assert_eq!(qr.target.component(), Some(COMP));
    assert_eq!(qr.path.as_deref(), Some("pages/index/index"));
    let back = serde_json::to_value(&qr).unwrap();
    assert_eq!(keys(&back), ["appid", "component_appid", "path"]);

    // The platform is optional, and blank counts as none.
    let c: WxaConfirmArgs =
        serde_json::from_value(json!({"appid": MP, "component_appid": " "})).unwrap();
    assert_eq!(c.target.component(), None);
    assert!(!c.confirmed);

    for bad in [
        json!({"appid": MP, "path": "x", "pth": "typo"}),
        json!({"appid": MP, "target": {"appid": MP}}),
    ] {
        let e = serde_json::from_value::<CodeQrArgs>(bad.clone()).unwrap_err();
        assert!(e.to_string().contains("unknown field"), "{bad}: {e}");
    }
    let missing = serde_json::from_value::<ReleaseGrayArgs>(json!({"percent": 5})).unwrap_err();
    assert!(missing.to_string().contains("appid"), "{missing}");
}

#[test]
fn profile_set_is_flat_both_ways_and_rejects_unknown_fields() {
    let wire = json!({
        "component_appid": COMP, "name": "shop", "template_id": 7,
        "user_version": "1.0.0", "ext_json": "{\"extAppid\":\"{{appid}}\"}",
    });
    let a: ProfileSetArgs = serde_json::from_value(wire).unwrap();
    assert_eq!(a.profile.template_id, 7);
    assert_eq!(a.profile.user_version.as_deref(), Some("1.0.0"));
    let back = serde_json::to_value(&a).unwrap();
    assert!(back.get("profile").is_none(), "{back}");
    assert_eq!(back["template_id"], 7);
    assert_eq!(back["component_appid"], COMP);

    let e = serde_json::from_value::<ProfileSetArgs>(
        json!({"component_appid": COMP, "name": "shop", "template_id": 7, "vars": "x"}),
    )
    .unwrap_err();
    assert!(e.to_string().contains("unknown field"), "{e}");
}
