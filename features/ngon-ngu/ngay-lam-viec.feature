# language: vi
Tính năng: Ngày làm việc: working_days_left, working_days_overdue
  Số ngày làm việc không tính thứ bảy, chủ nhật, ngày lễ, Tết (theo lịch nghỉ của Nhà nước)
  và ngày nghỉ riêng của cơ quan; thứ bảy làm bù là ngày làm việc. Hôm nay là hạn thì còn
  0 ngày làm việc.

  Bối cảnh:
    Cho kế hoạch năm 2026
    Và quy tắc:
      """
      id: con-3-ngay-lam-viec
      title: Nhiệm vụ còn không quá 3 ngày làm việc đến hạn
      fact: task
      scope: due is present
      condition: status != "hoàn thành" and working_days_left >= 0 and working_days_left <= 3
      severity: nhắc nhở
      message: Nhiệm vụ {{ task }} còn {{ working_days_left }} ngày làm việc đến hạn {{ due }}.
      """

  Kịch bản: Thứ sáu 20/11, hạn thứ tư 25/11: còn 2 ngày làm việc (cuối tuần và 24/11 là ngày nghỉ)
    Cho ngày kiểm tra là 20/11/2026
    Và các nhiệm vụ:
      | TT | Nhiệm vụ             | Đơn vị chủ trì | Thời gian thực hiện       |
      | 1  | Báo cáo sơ kết       | Phòng Kinh tế  | Chậm nhất ngày 25/11/2026 |
    Khi kiểm tra theo quy tắc "con-3-ngay-lam-viec"
    Thì có phát hiện vi phạm cho nhiệm vụ "1"
    Và giá trị "working_days_left" là 2
    Và giá trị "days_left" là 5
    Và câu thông báo có "còn 2 ngày làm việc đến hạn 25/11/2026"

  Kịch bản: Ranh giới: còn đúng 3 ngày làm việc thì nhắc, còn 4 thì chưa
    Cho ngày kiểm tra là 20/11/2026
    Và các nhiệm vụ:
      | TT | Nhiệm vụ             | Đơn vị chủ trì | Thời gian thực hiện       |
      | 1  | Hạn thứ năm 26/11    | Phòng Kinh tế  | Chậm nhất ngày 26/11/2026 |
      | 2  | Hạn thứ sáu 27/11    | Phòng Kinh tế  | Chậm nhất ngày 27/11/2026 |
    Khi kiểm tra theo quy tắc "con-3-ngay-lam-viec"
    Thì có 1 phát hiện
    Và có phát hiện vi phạm cho nhiệm vụ "1"
    Và giá trị "working_days_left" là 3
    Và không có phát hiện cho nhiệm vụ "2"

  Kịch bản: Ngày nghỉ riêng của cơ quan cũng không tính
    Cho ngày kiểm tra là 20/11/2026
    Và ngày nghỉ của cơ quan:
      | Ngày       | Loại | Ghi chú                 |
      | 23/11/2026 | nghỉ | Nghỉ bù theo thông báo  |
    Và các nhiệm vụ:
      | TT | Nhiệm vụ             | Đơn vị chủ trì | Thời gian thực hiện       |
      | 2  | Hạn thứ sáu 27/11    | Phòng Kinh tế  | Chậm nhất ngày 27/11/2026 |
    Khi kiểm tra theo quy tắc "con-3-ngay-lam-viec"
    Thì có phát hiện vi phạm cho nhiệm vụ "2"
    Và giá trị "working_days_left" là 3

  Kịch bản: Hôm nay là hạn: còn 0 ngày làm việc
    Cho ngày kiểm tra là 25/11/2026
    Và các nhiệm vụ:
      | TT | Nhiệm vụ             | Đơn vị chủ trì | Thời gian thực hiện       |
      | 1  | Báo cáo sơ kết       | Phòng Kinh tế  | Chậm nhất ngày 25/11/2026 |
    Khi kiểm tra theo quy tắc "con-3-ngay-lam-viec"
    Thì có phát hiện vi phạm cho nhiệm vụ "1"
    Và giá trị "working_days_left" là 0

  Kịch bản: Quá hạn tính theo ngày làm việc: hạn 30/4, ngày 6/5 mới quá hạn 3 ngày làm việc
    Cho ngày kiểm tra là 06/05/2026
    Và quy tắc:
      """
      id: qua-han-3-ngay-lam-viec
      title: Quá hạn từ 3 ngày làm việc
      fact: task
      scope: due is present
      condition: status != "hoàn thành" and working_days_overdue >= 3
      severity: cảnh báo
      message: Nhiệm vụ {{ task }} quá hạn {{ working_days_overdue }} ngày làm việc.
      """
    Và các nhiệm vụ:
      | TT | Nhiệm vụ             | Đơn vị chủ trì | Thời gian thực hiện       |
      | 1  | Hạn ngày lễ 30/4     | Phòng Kinh tế  | Chậm nhất ngày 30/04/2026 |
      | 2  | Hạn 04/5             | Phòng Kinh tế  | Chậm nhất ngày 04/05/2026 |
    Khi kiểm tra theo quy tắc "qua-han-3-ngay-lam-viec"
    Thì có 1 phát hiện
    Và có phát hiện vi phạm cho nhiệm vụ "1"
    Và giá trị "working_days_overdue" là 3
    Và giá trị "days_overdue" là 6
