//! huiyi-sim: faithful fake conferencing clouds over real HTTP on 127.0.0.1.
//!
//! Built from the vendors' documents, never from Huiyi's own clients, so that the clients are
//! tested against an independent reading of the API. One listener per vendor; each keeps its
//! state in `state_dir/<vendor>.json` when a state dir is given.
//!
//! ```no_run
//! # async fn demo() -> Result<(), huiyi_sim::SimError> {
//! use huiyi_sim::{Sim, SimConfig, SimVendor};
//! let sim = Sim::start(SimConfig { state_dir: None, vendors: vec![SimVendor::Huawei], port: 0 }).await?;
//! let base_url = &sim.listeners()[0].base_url;
//! # let _ = base_url;
//! sim.shutdown().await;
//! # Ok(()) }
//! ```

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

pub mod bizconf;
mod clock;
pub mod cloudroom;
mod control;
pub mod faults;
pub mod feishu;
pub mod huawei;
mod persist;
mod server;
pub mod tencent;

pub use faults::{Fault, FaultKind};

/// How to start the sim.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// Where state persists (JSON, rewritten atomically after each change); None = memory only.
    pub state_dir: Option<PathBuf>,
    /// Vendors to serve, one listener each, in this order (duplicates ignored).
    pub vendors: Vec<SimVendor>,
    /// 0 = ephemeral ports. Otherwise the n-th vendor listens on `port + n`.
    /// Always binds 127.0.0.1.
    pub port: u16,
}

/// A vendor the sim can fake.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum SimVendor {
    Huawei,
    Tencent,
    Bizconf,
    Feishu,
    Cloudroom,
}

impl SimVendor {
    /// Every vendor the sim can fake, in the default listener order.
    pub const ALL: [SimVendor; 5] = [
        SimVendor::Huawei,
        SimVendor::Tencent,
        SimVendor::Bizconf,
        SimVendor::Feishu,
        SimVendor::Cloudroom,
    ];

    pub fn name(self) -> &'static str {
        match self {
            SimVendor::Huawei => "huawei",
            SimVendor::Tencent => "tencent",
            SimVendor::Bizconf => "bizconf",
            SimVendor::Feishu => "feishu",
            SimVendor::Cloudroom => "cloudroom",
        }
    }
}

/// What one listener serves; the binary prints one JSON line of this per listener.
#[derive(Serialize, Clone, Debug)]
pub struct ListenerInfo {
    /// "huawei"
    pub vendor: String,
    /// "http://127.0.0.1:PORT"
    pub base_url: String,
    /// The sandbox credentials this listener accepts. Huawei:
    /// {"app_id","app_key","user_id","user_name","account","password"}. Tencent:
    /// {"app_id","sdk_id","secret_id","secret_key","userid"}. BizConf:
    /// {"site_sign","user_id","user_name","api_key"} (`siteSign`, the sandbox `userId` and its
    /// `userName`, and the API KEY that signs `token`). Feishu:
    /// {"app_id","app_secret","user_id","user_name","tenant_key","authorize_path","token_path"}
    /// (the self-built app, also the OAuth client; the sandbox user's open_id and name, the user
    /// the authorization page at `authorize_path` signs in; the OAuth token endpoint).
    /// CloudRoom: {"secret_id","secret_key","user_id","user_name","base_path"} (the company's
    /// Web-API pair; the company creator's Long user id as decimal text, the default host and
    /// a `searchUserId`; the API's path on this host, "/CLOUDROOM-SERVER").
    /// Random on first start, persisted in state_dir when there is one.
    pub credentials: serde_json::Value,
}

#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error("no vendor to serve")]
    NoVendors,
    #[error("cannot listen on 127.0.0.1:{port}: {source}")]
    Bind { port: u16, source: std::io::Error },
    #[error("cannot read or write sim state at {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("sim state at {path} is not valid: {source}")]
    BadState {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("no such conference: {0}")]
    NoSuchConference(String),
    #[error("conference {0} is cancelled or has ended")]
    ConferenceClosed(String),
}

struct Running {
    info: ListenerInfo,
    served: server::Served,
}

/// A running sim: one listener per configured vendor. Dropping it also stops the listeners
/// (prefer [`Sim::shutdown`], which waits until they are closed).
pub struct Sim {
    infos: Vec<ListenerInfo>,
    running: Vec<Running>,
    huawei: Option<huawei::HuaweiSim>,
    tencent: Option<tencent::TencentSim>,
    bizconf: Option<bizconf::BizconfSim>,
    feishu: Option<feishu::FeishuSim>,
    cloudroom: Option<cloudroom::CloudroomSim>,
}

impl Sim {
    /// Load (or create) each vendor's state and start listening.
    pub async fn start(config: SimConfig) -> Result<Sim, SimError> {
        let mut vendors = Vec::new();
        for v in &config.vendors {
            if !vendors.contains(v) {
                vendors.push(*v);
            }
        }
        if vendors.is_empty() {
            return Err(SimError::NoVendors);
        }
        let mut running = Vec::new();
        let mut huawei = None;
        let mut tencent = None;
        let mut bizconf = None;
        let mut feishu = None;
        let mut cloudroom = None;
        for (n, vendor) in vendors.into_iter().enumerate() {
            let port = if config.port == 0 {
                0
            } else {
                u16::try_from(usize::from(config.port) + n).unwrap_or(u16::MAX)
            };
            let listener =
                tokio::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port)))
                    .await
                    .map_err(|source| SimError::Bind { port, source })?;
            let addr = listener
                .local_addr()
                .map_err(|source| SimError::Bind { port, source })?;
            let (router, credentials) = match vendor {
                SimVendor::Huawei => {
                    let path = config.state_dir.as_ref().map(|d| d.join("huawei.json"));
                    let sim = huawei::HuaweiSim::open(path)?;
                    let parts = (sim.router(), sim.credentials_json());
                    huawei = Some(sim);
                    parts
                }
                SimVendor::Tencent => {
                    let path = config.state_dir.as_ref().map(|d| d.join("tencent.json"));
                    let sim = tencent::TencentSim::open(path)?;
                    let parts = (sim.router(), sim.credentials_json());
                    tencent = Some(sim);
                    parts
                }
                SimVendor::Bizconf => {
                    let path = config.state_dir.as_ref().map(|d| d.join("bizconf.json"));
                    let sim = bizconf::BizconfSim::open(path)?;
                    let parts = (sim.router(), sim.credentials_json());
                    bizconf = Some(sim);
                    parts
                }
                SimVendor::Feishu => {
                    let path = config.state_dir.as_ref().map(|d| d.join("feishu.json"));
                    let sim = feishu::FeishuSim::open(path)?;
                    let parts = (sim.router(), sim.credentials_json());
                    feishu = Some(sim);
                    parts
                }
                SimVendor::Cloudroom => {
                    let path = config.state_dir.as_ref().map(|d| d.join("cloudroom.json"));
                    let sim = cloudroom::CloudroomSim::open(path)?;
                    let parts = (sim.router(), sim.credentials_json());
                    cloudroom = Some(sim);
                    parts
                }
            };
            let info = ListenerInfo {
                vendor: vendor.name().to_owned(),
                base_url: format!("http://{addr}"),
                credentials,
            };
            running.push(Running {
                info,
                served: server::serve(listener, router),
            });
        }
        let infos = running.iter().map(|r| r.info.clone()).collect();
        Ok(Sim {
            infos,
            running,
            huawei,
            tencent,
            bizconf,
            feishu,
            cloudroom,
        })
    }

    pub fn listeners(&self) -> &[ListenerInfo] {
        &self.infos
    }

    /// Handle on the Huawei fake's state (tests, control); None if Huawei is not served.
    pub fn huawei(&self) -> Option<huawei::HuaweiSim> {
        self.huawei.clone()
    }

    /// Handle on the Tencent fake's state (tests, control); None if Tencent is not served.
    pub fn tencent(&self) -> Option<tencent::TencentSim> {
        self.tencent.clone()
    }

    /// Handle on the BizConf fake's state (tests, control); None if BizConf is not served.
    pub fn bizconf(&self) -> Option<bizconf::BizconfSim> {
        self.bizconf.clone()
    }

    /// Handle on the Feishu fake's state (tests, control); None if Feishu is not served.
    pub fn feishu(&self) -> Option<feishu::FeishuSim> {
        self.feishu.clone()
    }

    /// Handle on the CloudRoom fake's state (tests, control); None if CloudRoom is not served.
    pub fn cloudroom(&self) -> Option<cloudroom::CloudroomSim> {
        self.cloudroom.clone()
    }

    /// Stop listening and close open connections. State is already on disk (written after
    /// every change).
    pub async fn shutdown(self) {
        for r in self.running {
            r.served.stop().await;
        }
    }
}

/// `n` random lowercase hex characters.
pub(crate) fn random_hex(n: usize) -> String {
    use rand::RngExt;
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut rng = rand::rng();
    (0..n)
        .map(|_| HEX[rng.random_range(0..16)] as char)
        .collect()
}
