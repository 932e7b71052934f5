# language: vi
Tính năng: Ngày theo năm của kế hoạch: plan_year, date(), end_of_quarter(), end_of_month()
  Một quy tắc dùng cho mọi năm không viết cứng năm: date(plan_year, 6, 30) là 30/6 của năm kế
  hoạch; end_of_quarter(due) là ngày cuối quý của hạn, end_of_month(due) ngày cuối tháng.

  Bối cảnh:
    Cho ngày kiểm tra là 22/11/2026
    Và kế hoạch năm 2026
    Và các nhiệm vụ:
      | TT | Nhiệm vụ                | Đơn vị chủ trì | Thời gian thực hiện       |
      | 1  | Hạn trước nửa năm       | Phòng Kinh tế  | Chậm nhất ngày 29/06/2026 |
      | 2  | Hạn đúng 30/6           | Phòng Kinh tế  | Chậm nhất ngày 30/06/2026 |
      | 3  | Hạn sau nửa năm         | Phòng Kinh tế  | Chậm nhất ngày 01/07/2026 |

  Kịch bản: Hạn đến hết 30/6 của năm kế hoạch
    Cho quy tắc:
      """
      id: han-nua-dau-nam
      title: Hạn trong nửa đầu năm kế hoạch
      fact: task
      scope: due is present
      condition: due <= date(plan_year, 6, 30)
      severity: info
      message: Nhiệm vụ {{ task }} có hạn trong nửa đầu năm {{ plan_year }}.
      """
    Khi kiểm tra theo quy tắc "han-nua-dau-nam"
    Thì có 2 phát hiện
    Và có phát hiện vi phạm cho nhiệm vụ "1"
    Và có phát hiện vi phạm cho nhiệm vụ "2"
    Và câu thông báo có "trong nửa đầu năm 2026"

  Kịch bản: Ngày cuối quý của hạn: 29/6 và 30/6 là quý II, 1/7 là quý III
    Cho quy tắc:
      """
      id: cuoi-quy-hai
      title: Hạn thuộc quý II
      fact: task
      scope: due is present
      condition: end_of_quarter(due) == 30/06/2026
      severity: info
      message: Nhiệm vụ {{ task }}.
      """
    Khi kiểm tra theo quy tắc "cuoi-quy-hai"
    Thì có 2 phát hiện
    Và có phát hiện vi phạm cho nhiệm vụ "1"
    Và có phát hiện vi phạm cho nhiệm vụ "2"

  Kịch bản: Ngày cuối tháng của hạn
    Cho quy tắc:
      """
      id: cuoi-thang-bay
      title: Hạn trong tháng 7
      fact: task
      scope: due is present
      condition: end_of_month(due) == 31/07/2026
      severity: info
      message: Nhiệm vụ {{ task }}.
      """
    Khi kiểm tra theo quy tắc "cuoi-thang-bay"
    Thì có 1 phát hiện
    Và có phát hiện vi phạm cho nhiệm vụ "3"
