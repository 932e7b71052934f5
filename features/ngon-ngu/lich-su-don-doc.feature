# language: vi
Tính năng: Các trường về lịch sử đôn đốc (open_days, times_notified, reply_lapsed, previous_severity)
  Khi đêm kiểm tra có kho dữ liệu (docs/history.md), mỗi dữ kiện mang những gì kho nhớ về nội
  dung đó (kế hoạch, nội dung, đơn vị): số ngày từ lần đầu phát hiện, số công văn đã ký nêu nội
  dung, công văn gần nhất đã quá hạn trả lời chưa, mức độ lần trước. Nội dung mới: 0 ngày, 0 lần.
  Không có kho: các trường này không có giá trị (quy tắc đọc chúng thì báo thiếu dữ liệu).

  Bối cảnh:
    Cho ngày kiểm tra là 22/11/2026
    Và kế hoạch năm 2026
    Và các nhiệm vụ:
      | TT | Nhiệm vụ                 | Đơn vị chủ trì | Thời gian thực hiện |
      | 13 | Tổ chức đối thoại với DN | Phòng Kinh tế  | Tháng 10/2026       |
      | 14 | Rà soát thủ tục          | Phòng Kinh tế  | Tháng 09/2026       |

  Kịch bản: Nội dung đã có trong lịch sử: các trường theo lịch sử
    Cho lịch sử đôn đốc:
      | Nội dung       | Đơn vị        | Phát hiện lần đầu | Số lần đôn đốc | Quá hạn trả lời | Mức độ lần trước |
      | nhiệm vụ "13"  | Phòng Kinh tế | 01/11/2026        | 2              | có              | cảnh báo         |
    Và quy tắc:
      """
      rules:
        - id: da-don-doc
          title: Đã đôn đốc
          fact: task
          condition: times_notified >= 1
          severity: nhắc nhở
          message: Nhiệm vụ {{ task }} đã đôn đốc {{ times_notified }} lần, tồn tại {{ open_days }} ngày.
      """
    Khi kiểm tra theo quy tắc "da-don-doc"
    Thì có phát hiện vi phạm cho nhiệm vụ "13"
    Và giá trị "times_notified" là 2
    Và câu thông báo có "tồn tại 21 ngày"
    Và không có phát hiện cho nhiệm vụ "14"

  Kịch bản: Nội dung mới với kho dữ liệu: 0 ngày, chưa đôn đốc lần nào
    Cho chưa có lịch sử đôn đốc
    Và quy tắc:
      """
      rules:
        - id: moi-phat-hien
          title: Mới phát hiện
          fact: task
          condition: open_days == 0 and times_notified == 0 and reply_lapsed == false
          severity: nhắc nhở
          message: Nhiệm vụ {{ task }} mới phát hiện.
      """
    Khi kiểm tra theo quy tắc "moi-phat-hien"
    Thì có 2 phát hiện

  Kịch bản: Không có kho dữ liệu: quy tắc đọc các trường này báo thiếu dữ liệu
    Cho quy tắc:
      """
      rules:
        - id: lau-ngay
          title: Tồn tại lâu
          fact: task
          condition: open_days > 30
          severity: cảnh báo
          message: Nhiệm vụ {{ task }} tồn tại quá 30 ngày.
      """
    Khi kiểm tra theo quy tắc "lau-ngay"
    Thì có phát hiện thiếu dữ liệu "open_days" cho nhiệm vụ "13"
