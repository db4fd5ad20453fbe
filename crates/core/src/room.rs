//! Meeting rooms a vendor manages itself (Tencent Meeting Rooms devices), booked for a meeting
//! through the vendor. Rooms Huiyi manages on its own come with the room catalogue (issue 9).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A room as the vendor describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct VendorRoom {
    /// The vendor's id for the room (Tencent `meeting_room_id`).
    pub vendor_id: String,
    pub name: String,
    /// Where it is ("5F East"), when the vendor says.
    pub location: Option<String>,
    /// Seats, when the vendor says.
    pub capacity: Option<u32>,
    /// The vendor lets meetings be booked in it (Tencent `scheduled_status` 1).
    pub bookable: bool,
}
