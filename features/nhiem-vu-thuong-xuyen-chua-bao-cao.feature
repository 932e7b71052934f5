# language: vi
Tính năng: Quy tắc nhiem-vu-thuong-xuyen-chua-bao-cao: nhiệm vụ thường xuyên chưa báo cáo
  Nhiệm vụ "Thường xuyên" không có hạn nên không thể quá hạn, nhưng không được để
  cả năm không có báo cáo tiến độ nào.

  Bối cảnh:
    Cho ngày kiểm tra là 22/11/2026
    Và kế hoạch năm 2026
    Và các nhiệm vụ:
      | TT | Nhiệm vụ     | Đơn vị chủ trì | Thời gian thực hiện |
      | 1  | Tuyên truyền | Phòng Kinh tế  | Thường xuyên        |
      | 2  | Hướng dẫn    | Phòng Kinh tế  | Từ ngày 15/3/2026   |

  Kịch bản: Không có báo cáo nào thì nhắc
    Khi kiểm tra theo quy tắc "nhiem-vu-thuong-xuyen-chua-bao-cao"
    Thì có 2 phát hiện
    Và có phát hiện vi phạm cho nhiệm vụ "1"
    Và giá trị "reports" là 0

  Kịch bản: Đã có một báo cáo thì không nhắc
    Cho các báo cáo tiến độ:
      | TT | Tình trạng     | Ngày báo cáo |
      | 1  | đang thực hiện | 30/06/2026   |
    Khi kiểm tra theo quy tắc "nhiem-vu-thuong-xuyen-chua-bao-cao"
    Thì có 1 phát hiện
    Và không có phát hiện cho nhiệm vụ "1"

  Kịch bản: Báo cáo ghi ngày sau ngày kiểm tra thì chưa tính
    Cho các báo cáo tiến độ:
      | TT | Tình trạng     | Ngày báo cáo |
      | 1  | đang thực hiện | 23/11/2026   |
    Khi kiểm tra theo quy tắc "nhiem-vu-thuong-xuyen-chua-bao-cao"
    Thì có phát hiện vi phạm cho nhiệm vụ "1"
