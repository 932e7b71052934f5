# language: vi
Tính năng: Cộng, trừ ngày và ngày viết dd/mm/yyyy trong điều kiện
  "due - 5 working days" là ngày làm việc thứ năm trước hạn; "as_of + 7 days" là bảy ngày
  lịch sau ngày kiểm tra. Ngày viết như thường viết: 01/07/2026.

  Bối cảnh:
    Cho kế hoạch năm 2026
    Và quy tắc:
      """
      id: nhac-truoc-5-ngay-lam-viec
      title: Nhắc từ 5 ngày làm việc trước hạn
      fact: task
      scope: due is present
      condition: status != "hoàn thành" and as_of >= due - 5 working days and as_of <= due
      severity: nhắc nhở
      message: Nhiệm vụ {{ task }} đến hạn ngày {{ due }}.
      """
    Và các nhiệm vụ:
      | TT | Nhiệm vụ               | Đơn vị chủ trì | Thời gian thực hiện       |
      | 1  | Báo cáo sau kỳ nghỉ lễ | Phòng Kinh tế  | Chậm nhất ngày 06/05/2026 |

  Kịch bản: Hạn 06/5: ngày làm việc thứ năm trước hạn là 24/4 (qua 27/4, 30/4, 1/5 nghỉ lễ)
    Cho ngày kiểm tra là 24/04/2026
    Khi kiểm tra theo quy tắc "nhac-truoc-5-ngay-lam-viec"
    Thì có phát hiện vi phạm cho nhiệm vụ "1"
    Và câu thông báo có "đến hạn ngày 06/05/2026"

  Kịch bản: Một ngày trước mốc đó thì chưa nhắc
    Cho ngày kiểm tra là 23/04/2026
    Khi kiểm tra theo quy tắc "nhac-truoc-5-ngay-lam-viec"
    Thì không có phát hiện nào

  Kịch bản: Ngày lịch và một ngày cố định viết dd/mm/yyyy
    Cho ngày kiểm tra là 01/07/2026
    Và quy tắc:
      """
      id: het-han-trong-tuan
      title: Hết hạn trong 7 ngày tới, kể từ 01/07/2026
      fact: task
      scope: due is present
      condition: as_of >= 01/07/2026 and as_of + 7 days >= due and due >= as_of
      severity: nhắc nhở
      message: Nhiệm vụ {{ task }} hết hạn ngày {{ due }}.
      valid_from: 01/07/2026
      """
    Và các nhiệm vụ:
      | TT | Nhiệm vụ      | Đơn vị chủ trì | Thời gian thực hiện       |
      | 2  | Hạn 08/7      | Phòng Kinh tế  | Chậm nhất ngày 08/07/2026 |
      | 3  | Hạn 09/7      | Phòng Kinh tế  | Chậm nhất ngày 09/07/2026 |
    Khi kiểm tra theo quy tắc "het-han-trong-tuan"
    Thì có 1 phát hiện
    Và có phát hiện vi phạm cho nhiệm vụ "2"
