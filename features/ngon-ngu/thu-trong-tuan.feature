# language: vi
Tính năng: Thứ trong tuần và ngày làm việc của một ngày: weekday(), is_working_day()
  weekday(due) là "thứ hai" ... "chủ nhật"; is_working_day(due) sai vào thứ bảy, chủ nhật,
  ngày lễ, Tết và ngày nghỉ của cơ quan.

  Bối cảnh:
    Cho ngày kiểm tra là 01/04/2026
    Và kế hoạch năm 2026
    Và các nhiệm vụ:
      | TT | Nhiệm vụ               | Đơn vị chủ trì | Thời gian thực hiện       |
      | 1  | Hạn Giỗ Tổ (chủ nhật)  | Phòng Kinh tế  | Chậm nhất ngày 26/04/2026 |
      | 2  | Hạn nghỉ bù (thứ hai)  | Phòng Kinh tế  | Chậm nhất ngày 27/04/2026 |
      | 3  | Hạn thứ ba             | Phòng Kinh tế  | Chậm nhất ngày 28/04/2026 |

  Kịch bản: Hạn rơi vào ngày nghỉ
    Cho quy tắc:
      """
      id: han-vao-ngay-nghi
      title: Hạn rơi vào ngày nghỉ
      fact: task
      scope: due is present
      condition: not is_working_day(due)
      severity: info
      message: Hạn của nhiệm vụ {{ task }} ({{ due }}) là ngày nghỉ.
      """
    Khi kiểm tra theo quy tắc "han-vao-ngay-nghi"
    Thì có 2 phát hiện
    Và có phát hiện vi phạm cho nhiệm vụ "1"
    Và có phát hiện vi phạm cho nhiệm vụ "2"

  Kịch bản: Hạn vào chủ nhật
    Cho quy tắc:
      """
      id: han-chu-nhat
      title: Hạn vào cuối tuần
      fact: task
      scope: due is present
      condition: weekday(due) in ["thứ bảy", "chủ nhật"]
      severity: info
      message: Hạn của nhiệm vụ {{ task }} là cuối tuần.
      """
    Khi kiểm tra theo quy tắc "han-chu-nhat"
    Thì có 1 phát hiện
    Và có phát hiện vi phạm cho nhiệm vụ "1"

  Kịch bản: Số ngày làm việc giữa hai ngày: 26/4 và 27/4 đều còn 17 (27/4 là ngày nghỉ bù)
    Cho quy tắc:
      """
      id: con-nhieu-ngay-lam-viec
      title: Còn từ 18 ngày làm việc
      fact: task
      scope: due is present
      condition: working_days(as_of, due) >= 18
      severity: info
      message: Nhiệm vụ {{ task }}.
      """
    Khi kiểm tra theo quy tắc "con-nhieu-ngay-lam-viec"
    Thì có 1 phát hiện
    Và có phát hiện vi phạm cho nhiệm vụ "3"
