//! The application wired to the data-service stand-ins instead of the real portals.

use testkit::{molit::MolitStandIn, odcloud::OdcloudStandIn};

use super::app::{TestApp, spawn_app};

/// The server in front of both data-service stand-ins. The stand-ins stop when dropped, so a
/// test keeps the whole value alive.
pub(crate) struct AppWithStandIns {
    pub app: TestApp,
    pub molit: MolitStandIn,
    pub odcloud: OdcloudStandIn,
}

/// Starts the server with its MOLIT gateway at `molit` and `key` as its data.go.kr key.
pub(crate) async fn spawn_app_for(molit: &MolitStandIn, key: &str) -> TestApp {
    spawn_app(&[
        ("data_go_kr_base_url", molit.base_url()),
        ("data_go_kr_api_key", key),
    ])
    .await
}

/// Starts both stand-ins, the MOLIT one accepting `key`, and the server in front of them with
/// `key` as its data.go.kr key and `overrides` on top.
pub(crate) async fn spawn_with_stand_ins(key: &str, overrides: &[(&str, &str)]) -> AppWithStandIns {
    let molit = MolitStandIn::start(key).await.unwrap();
    let odcloud = OdcloudStandIn::start().await.unwrap();
    let odcloud_url = odcloud.base_url();
    let mut settings = vec![
        ("data_go_kr_base_url", molit.base_url()),
        ("data_go_kr_api_key", key),
        ("odcloud_base_url", odcloud_url.as_str()),
    ];
    settings.extend_from_slice(overrides);
    let app = spawn_app(&settings).await;
    AppWithStandIns {
        app,
        molit,
        odcloud,
    }
}
