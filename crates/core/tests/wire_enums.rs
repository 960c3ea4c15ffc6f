//! Closed sets of argument values are enums: a wrong value is refused by
//! the argument type itself, naming the field, and a right one reaches the
//! handler without string matching.

mod common;

use common::*;
use serde_json::json;
use wxdesk_core::ops::{dispatch, Runtime};
use wxdesk_core::Error;

async fn runtime(world: &World) -> Runtime {
    world.runtime().await
}

#[tokio::test]
async fn a_wrong_value_is_refused_naming_its_field() {
    let world = World::start().await;
    let rt = runtime(&world).await;
    let cases = [
        ("settings_set_theme", json!({"theme": "neon"}), "theme"),
        (
            "settings_set_language",
            json!({"language": "fr"}),
            "language",
        ),
        (
            "auth_link",
            json!({"component_appid": random_appid(), "kind": "wap"}),
            "kind",
        ),
        (
            "app_token",
            json!({"appid": random_appid(), "mode": "force"}),
            "mode",
        ),
        ("authorizer_list", json!({"status": "paused"}), "status"),
        (
            "authorizer_list",
            json!({"account_type": "game"}),
            "account_type",
        ),
        ("qr", json!({"text": "x", "format": "gif"}), "format"),
        ("qr", json!({"text": "x", "ec": "Z"}), "ec"),
        // The mini-program operations and profile_set spell their fields out
        // (no `#[serde(flatten)]`, which loses the path): a wrong type still
        // names its field.
        ("code_qr", json!({"appid": 5}), "appid"),
        (
            "release_gray",
            json!({"appid": random_appid(), "component_appid": 7, "percent": 10}),
            "component_appid",
        ),
        (
            "profile_set",
            json!({"component_appid": random_appid(), "name": "p", "template_id": "seven"}),
            "template_id",
        ),
    ];
    for (op, args, want) in cases {
        let e = dispatch(&rt, op, args.clone()).await.unwrap_err();
        assert_eq!(e.code(), "invalid_input", "{op} {args}: {e}");
        match &e {
            Error::Invalid { field, reason } => {
                assert_eq!(field, want, "{op} {args}: {e}");
                assert!(reason.contains(op), "names the operation: {e}");
            }
            other => panic!("{op}: {other:?}"),
        }
    }
}

#[tokio::test]
async fn right_values_reach_the_handlers() {
    let world = World::start().await;
    let rt = runtime(&world).await;
    let v = dispatch(&rt, "settings_set_theme", json!({"theme": "dark"}))
        .await
        .unwrap();
    assert_eq!(v["theme"], "dark");
    let v = dispatch(&rt, "settings_set_language", json!({"language": "zh-CN"}))
        .await
        .unwrap();
    assert_eq!(v["language"], "zh-CN");
    // Lower-case error-correction levels are accepted as before.
    let v = dispatch(&rt, "qr", json!({"text": "x", "ec": "h", "format": "png"}))
        .await
        .unwrap();
    assert_eq!(v["mime"], "image/png");
    let v = dispatch(&rt, "qr", json!({"text": "x"})).await.unwrap();
    assert_eq!(v["mime"], "image/svg+xml");
    let list = dispatch(
        &rt,
        "authorizer_list",
        json!({"status": "active", "account_type": "mini_program"}),
    )
    .await
    .unwrap();
    assert!(list.as_array().is_some_and(|l| l.is_empty()), "{list}");
}

#[test]
fn task_status_is_one_word_on_the_wire_and_in_the_column() {
    use wxdesk_core::ops::wire::TaskStatus;
    for s in TaskStatus::ALL {
        assert_eq!(serde_json::to_value(s).unwrap(), json!(s.as_str()));
        assert_eq!(TaskStatus::parse(s.as_str()), Some(s));
        assert_eq!(s.to_string(), s.as_str());
    }
    assert_eq!(TaskStatus::parse("done"), None);
    let finals: Vec<_> = TaskStatus::ALL
        .into_iter()
        .filter(|s| s.is_final())
        .collect();
    assert_eq!(
        finals,
        [
            TaskStatus::Succeeded,
            TaskStatus::Registered,
            TaskStatus::Failed
        ]
    );
}
