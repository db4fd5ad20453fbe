use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::i18n::Lang;

/// The five conferencing clouds Huiyi books on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum VendorKind {
    Huawei,
    Tencent,
    Bizconf,
    Feishu,
    Cloudroom,
}

impl VendorKind {
    pub const ALL: [VendorKind; 5] = [
        VendorKind::Huawei,
        VendorKind::Tencent,
        VendorKind::Bizconf,
        VendorKind::Feishu,
        VendorKind::Cloudroom,
    ];

    /// Stable identifier used in SQLite, the CLI and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            VendorKind::Huawei => "huawei",
            VendorKind::Tencent => "tencent",
            VendorKind::Bizconf => "bizconf",
            VendorKind::Feishu => "feishu",
            VendorKind::Cloudroom => "cloudroom",
        }
    }

    pub fn parse(s: &str) -> Option<VendorKind> {
        VendorKind::ALL
            .into_iter()
            .find(|v| v.as_str() == s.trim().to_ascii_lowercase())
    }

    /// The vendor's official API host; an account may override it (private deployment, sandbox).
    pub fn default_base_url(self) -> &'static str {
        match self {
            VendorKind::Huawei => "https://api.meeting.huaweicloud.com",
            VendorKind::Tencent => "https://api.meeting.qq.com",
            VendorKind::Bizconf => "https://api.bizvideo.cn",
            VendorKind::Feishu => "https://open.feishu.cn",
            // Doc L118: every path hangs under /CLOUDROOM-SERVER (then /v2/...).
            VendorKind::Cloudroom => "https://www.cloudroom.com/CLOUDROOM-SERVER",
        }
    }

    pub fn display_name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (VendorKind::Huawei, Lang::Zh) => "华为云会议",
            (VendorKind::Huawei, Lang::En) => "Huawei Cloud Meeting",
            (VendorKind::Tencent, Lang::Zh) => "腾讯会议",
            (VendorKind::Tencent, Lang::En) => "Tencent Meeting",
            (VendorKind::Bizconf, Lang::Zh) => "会畅",
            (VendorKind::Bizconf, Lang::En) => "BizConf Video",
            (VendorKind::Feishu, Lang::Zh) => "飞书视频会议",
            (VendorKind::Feishu, Lang::En) => "Feishu VC",
            (VendorKind::Cloudroom, Lang::Zh) => "云屋",
            (VendorKind::Cloudroom, Lang::En) => "CloudRoom",
        }
    }
}

impl std::fmt::Display for VendorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
